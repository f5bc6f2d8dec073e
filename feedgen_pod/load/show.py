"""Load a whole show: config, people, every episode file, audio."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Problem, Severity, display_path
from ..model import Episode, Person, Show
from .episodes import load_episode, slug_for
from .names import MARKDOWN_EXTENSIONS, stem
from .people import load_people, resolve
from .site_fields import SiteContext


@dataclass
class Sources:
    """What was found on disk: the show with hosts resolved, the people, the episode files."""

    show: Show
    people: dict[str, Person]
    files: list[Path]
    problems: list[Problem] = field(default_factory=list)
    #: how the files are read (the show's site layout, where pages start, drafts or not)
    site: SiteContext | None = None


def discover(show: Show, drafts: bool = False) -> Sources:
    """Resolve hosts and list episode files (drafts only with ``drafts``); reports collisions."""
    problems: list[Problem] = []
    # another generator's site keeps no people profiles unless the config names a folder
    unset = show.site.is_site and "people_dir" not in show.field_lines
    people = {} if unset else load_people(show.people_dir, problems)
    hosts, missing = resolve((h.key for h in show.hosts), people)
    for key in missing:
        problems.append(
            Problem(
                display_path(show.source),
                show.field_lines.get("hosts"),
                "hosts",
                f"no people profile {key!r}",
                Severity.WARNING,
                kind="host-profile-missing",
            )
        )
    show = replace(show, hosts=hosts)
    files: list[Path] = []
    seen: dict[str, Path] = {}
    site = SiteContext(show.site, show.site_url, show.episodes_dir, show.live_now, drafts)
    if not show.episodes_dir.is_dir():
        problems.append(
            Problem(
                display_path(show.episodes_dir),
                None,
                None,
                "episodes directory not found; pass --episodes DIR",
                kind="episodes-dir-missing",
            )
        )
        return Sources(show, people, files, problems, site)
    for path in episode_files(show.episodes_dir, show.site.is_site):
        if path.name.startswith("_") and not drafts:
            continue
        if not path.is_file():
            continue
        slug = slug_for(path)
        if slug in seen:
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    None,
                    f"its output name {slug!r} is taken by "
                    f"{display_path(seen[slug])} (names that differ only in "
                    "case or by a leading '_' collide); rename one file",
                    kind="episode-name-collision",
                )
            )
            continue
        seen[slug] = path
        files.append(path)
    return Sources(show, people, files, problems, site)


def episode_files(folder: Path, nested: bool) -> list[Path]:
    """The episode files in ``folder``: ``*.md`` of this project's own layout, or for another
    site's layout every Markdown file in it and its folders (not ``_index.md``, a Hugo section's
    own page, nor files in folders whose name starts with ``_`` or ``.``)."""
    if not nested:
        return sorted(folder.glob("*.md"))
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).parts
        if any(part.startswith((".", "_")) for part in rel[:-1]):
            continue
        if path.name.lower().endswith(MARKDOWN_EXTENSIONS) and stem(path) != "_index":
            found.append(path)
    return sorted(found)


def load_source(sources: Sources, path: Path, problems: list[Problem]) -> Episode | None:
    """The episode in ``path``, read with the show's people, hosts, timestamp lists and site."""
    return load_episode(
        path,
        sources.people,
        problems,
        sources.show.hosts,
        sources.show.chapters.directory,
        sources.site,
    )


def load_episodes(sources: Sources, problems: list[Problem]) -> Iterator[Episode]:
    """Each loadable episode in file order; problems of every file are appended."""
    for path in sources.files:
        episode = load_source(sources, path, problems)
        if episode is not None:
            yield episode
