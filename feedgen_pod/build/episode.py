"""One episode's path through the build: load → attach audio → derive → render → write.

``build_episode`` is the whole path for one episode file and runs in a worker process or in
the main process alike; it reads only its arguments (an immutable ``EpisodeContext``) and
returns an immutable ``EpisodeResult``. When the audio comes from a host feed or a media
folder, episodes must be matched to it in file order, so the main process loads the episode
and attaches its audio (``load_with_audio``) and hands the ``Loaded`` episode to
``build_episode``, which then goes on from deriving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..checks import directory_rules
from ..derive.episode import enrich, listing, summary
from ..errors import OutputError, Problem, display_path, write_failure
from ..formats import EPISODE_FORMATS, Output, Rendered, rss
from ..load.audio import AudioResolver
from ..load.show import Sources, load_source
from ..model import Audio, Episode, Show
from .cache import OutputRecord, hash_bytes, hash_file, record_output
from .writer import DistWriter


@dataclass(frozen=True)
class EpisodeContext:
    """What every episode of one build shares: sent to each worker process once."""

    show: Show
    sources: Sources
    out: Path


@dataclass(frozen=True)
class Written:
    """One file an episode wrote: its record and whether its bytes changed."""

    record: OutputRecord
    changed: bool


@dataclass(frozen=True)
class Loaded:
    """An episode loaded from its file, with its audio attached."""

    episode: Episode
    #: the audio the file itself declared, before a host feed or media folder were consulted
    declared: Audio | None
    #: the inputs besides its own file that it read, with their hashes
    deps: dict[str, str | None]
    #: the loader's problems
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class EpisodeResult:
    """What one episode file produced. ``summary`` is None when the file was skipped."""

    summary: Episode | None
    problems: tuple[Problem, ...]
    #: problems found attaching its audio (reported before the others)
    audio_problems: tuple[Problem, ...] = ()
    written: tuple[Written, ...] = ()
    declared: Audio | None = None
    deps: dict[str, str | None] | None = None
    #: False when a file it rendered could not be written (each one of its problems): such an
    #: episode is never cached, so the next build writes it again once the cause is gone
    complete: bool = True


def build_episode(context: EpisodeContext, path: Path, loaded: Loaded | None) -> EpisodeResult:
    """Load (unless ``loaded``), attach the file's own audio, derive, render and write one
    episode file."""
    audio_problems: list[Problem] = []
    if loaded is None:
        resolver = AudioResolver(context.show, None, audio_problems)
        found = load_with_audio(context.sources, path, resolver.attach, hash_file)
        if not isinstance(found, Loaded):
            return EpisodeResult(None, found)
        loaded = found
    problems = list(loaded.problems)
    outputs, brief = render(context.show, loaded.episode, problems)
    written = write_outputs(DistWriter(context.out), outputs, problems, display_path(path))
    return EpisodeResult(
        brief,
        tuple(problems),
        tuple(audio_problems),
        tuple(written),
        loaded.declared,
        loaded.deps,
        len(written) == len(outputs),
    )


def load_with_audio(
    sources: Sources,
    path: Path,
    attach: Callable[[Episode], Episode],
    file_hash: Callable[[Path], str | None],
) -> Loaded | tuple[Problem, ...]:
    """The episode in ``path`` with its audio attached; its problems when it is skipped."""
    problems: list[Problem] = []
    episode = load_source(sources, path, problems)
    if episode is None:
        return tuple(problems)
    declared = episode.audio
    episode = attach(episode)
    return Loaded(episode, declared, episode_deps(sources, episode, file_hash), tuple(problems))


def render(show: Show, episode: Episode, problems: list[Problem]) -> tuple[list[Output], Episode]:
    """Derive and render one loaded episode: its files and its summary for the show files."""
    return render_derived(show, enrich(show, episode, problems), problems)


def render_derived(
    show: Show, episode: Episode, problems: list[Problem]
) -> tuple[list[Output], Episode]:
    """Render one derived episode (``enrich``), and check its feed item: its files and its
    summary. ``validate`` runs this too, writing nothing, so it finds what a build finds."""
    files = episode_files(show, episode)
    problems.extend(files.problems)
    outputs = list(files.outputs)
    brief = summary(episode)
    if brief.audio is not None:  # its feed item, made here in the worker (see rss.item_xml)
        item, item_problems = rss.item_xml(show, brief)
        problems.extend(item_problems)
        brief = replace(brief, feed_item=item)
        problems.extend(directory_rules.check_item(show, brief, item))
    return outputs, listing(brief)


def episode_files(show: Show, episode: Episode) -> Rendered:
    """Every per-episode file for one (enriched) episode, and the formats' problems."""
    made = [fmt(show, episode) for fmt in EPISODE_FORMATS]
    return Rendered(
        tuple(o for m in made for o in m.outputs), tuple(p for m in made for p in m.problems)
    )


def write_outputs(
    writer: DistWriter, outputs: list[Output], problems: list[Problem], where: str
) -> list[Written]:
    """Each output written (a refused one is a problem at ``where``), with its record.

    Episode files are written where they were rendered, so their bytes never travel back to
    the main process, which only claims the paths. Episode files live in the episode's own
    folder, and slugs are unique, so no two workers write one path."""
    written: list[Written] = []
    for output in outputs:
        try:
            changed = writer.write(output.path, output.data)
            record = record_output(writer.root, writer.last, output.data)
        except OutputError as exc:
            problems.append(
                exc.problem or Problem(where, None, None, str(exc), kind="output-unwritable")
            )
            continue
        except OSError as exc:  # written, and gone before it could be looked at
            problems.append(write_failure(writer.root / writer.last, exc))
            continue
        written.append(Written(record, changed))
    return written


def episode_deps(
    sources: Sources, episode: Episode, file_hash: Callable[[Path], str | None]
) -> dict[str, str | None]:
    """The inputs besides its own file that an episode read, with their hashes now."""
    deps: dict[str, str | None] = {}
    for guest in episode.guests:
        deps[f"person:{guest.key}"] = person_hash(sources, guest.key)
    for extra in (episode.timestamps, episode.captions):
        if extra is not None:
            deps[f"file:{extra.path}"] = file_hash(Path(extra.path))
    return deps


def person_hash(sources: Sources, key: str) -> str | None:
    person = sources.people.get(key)
    return hash_bytes(repr(person).encode()) if person is not None else None
