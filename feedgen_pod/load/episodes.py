"""Episode files to validated ``Episode`` objects.

Front matter keys map to small parse functions (``fields.FIELDS``); a value of the wrong type is an
error naming the file, line and field, and that field is left out while the rest of the episode
still builds (dropping a whole episode from a feed makes apps delete it for subscribers). An
episode is skipped only when its file cannot be read at all or it has no title.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import Problem
from ..model import Audio, Episode, Person
from . import frontmatter
from .captions import load_raw_captions
from .field_base import Context, FieldError, clean_text, short_repr
from .fields import FIELDS
from .people import resolve
from .timestamps import find_timestamp_list, load_timestamp_list
from .transcript import parse_transcript

_ANCHOR_EPISODE_ID = re.compile(r"-(e[0-9a-z]{4,9})(?=/a-[0-9a-z]+/?$|/?$)")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def slug_for(path: Path) -> str:
    """The episode's stable name from its file name: ``_s12e08.md`` → ``s12e08``.

    >>> slug_for(Path("mentoring-in-tech.md.md"))
    'mentoring-in-tech'
    """
    name = path.name
    while name.lower().endswith(".md"):
        name = name[:-3]
    name = name.lstrip("_")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.").lower()
    return name or "episode"


#: what Jekyll's "pretty" slugify keeps (letters, marks, digits and ``._~!$&'()+,;=@``)
_JEKYLL_KEEP = re.compile(r"[^\w\u0300-\u036f.~!$&'()+,;=@]+")


def page_slug_for(path: Path, slug: str | None = None) -> str:
    """The page's name where Jekyll serves it (its ``:title``): the front matter ``slug``, else
    the file name without its last extension (a draft's ``_`` dropped), slugified as Jekyll
    does (case kept, other characters to ``-``) and percent-encoded for a URL.

    >>> page_slug_for(Path("mentoring-in-tech.md.md"))
    'mentoring-in-tech.md'
    >>> page_slug_for(Path("_s12e08.md")), page_slug_for(Path("x.md"), "Mr. Robot")
    ('s12e08', 'Mr.-Robot')
    """
    name = slug if slug else path.name.lstrip("_").rsplit(".", 1)[0]
    name = _JEKYLL_KEEP.sub("-", unicodedata.normalize("NFC", name)).strip("-")
    return quote(name, safe="._~!$&'()+,;=@-") or slug_for(path)


def load_episode(
    path: Path,
    people: Mapping[str, Person],
    problems: list[Problem],
    hosts: tuple[Person, ...] = (),
    chapters_dir: Path | None = None,
) -> Episode | None:
    """Load one episode file; problems are appended, None when nothing usable is left."""
    ctx = Context(path, {}, problems, people, hosts)
    try:
        raw = frontmatter.read_bounded(path)
    except OSError as exc:
        ctx.report("", f"cannot read the file: {exc.strerror}", kind="file-unreadable")
        return None
    except frontmatter.FrontMatterError as exc:
        problems.append(Problem(ctx.where, None, None, exc.message, kind="file-unreadable"))
        return None
    try:
        doc = frontmatter.parse(frontmatter.decode(raw))
    except frontmatter.FrontMatterError as exc:
        problems.append(Problem(ctx.where, exc.line, exc.field, exc.message, kind="yaml-invalid"))
        return None
    ctx.lines = doc.lines
    for line, fld, message in doc.warnings:  # duplicate keys: what is published is ambiguous
        ctx.report(fld, message, line=line, kind="yaml-duplicate-key")
    for line, message in doc.errors:
        problems.append(Problem(ctx.where, line, None, message, kind="yaml-invalid"))

    values: dict[str, Any] = {}
    for key, value in doc.data.items():
        key = str(key)
        parse = FIELDS.get(key)
        if parse is None:
            ctx.warn(key, "unknown field, ignored (check the spelling)", kind="field-unknown")
            continue
        try:
            values[key] = parse(value, ctx, key)
        except FieldError as exc:
            ctx.report(key, f"{exc}; the field is left out", kind=exc.kind or "field-invalid")

    title = values.get("title") or values.get("short")
    if not title:
        ctx.report(
            "title", "the episode has no title; add 'title:' to build it", kind="episode-no-title"
        )
        return None

    guests, missing = resolve(values.get("guests", ()), people)
    for key in missing:
        ctx.warn(
            "guests", f"no people profile {key!r}; shown by its key", kind="guest-profile-missing"
        )

    transcript = parse_transcript(doc.data.get("transcript"), ctx, guests + hosts)
    ids: dict[str, str] = values.get("ids", {})
    links: dict[str, str] = dict(values.get("links", {}))
    youtube_id = ids.get("youtube") or _youtube_id(links.get("youtube"))
    if youtube_id and not _YOUTUBE_ID.match(youtube_id):
        ctx.report(
            "ids.youtube",
            f"not a YouTube video id: {short_repr(youtube_id)}; ignored",
            kind="youtube-id-invalid",
        )
        youtube_id = None
    if youtube_id and "youtube" not in links:
        links["youtube"] = f"https://www.youtube.com/watch?v={youtube_id}"
    anchor_id = None
    for candidate in (ids.get("anchor"), links.get("anchor")):
        match = _ANCHOR_EPISODE_ID.search(candidate or "")
        if match:
            anchor_id = match.group(1)
            break

    published: date | None = values.get("dateadded") or values.get("date")
    modified = values.get("date") if values.get("dateadded") else None
    if modified and published and modified <= published:
        modified = None

    timestamps = None
    ts_path = values.get("timestamps") or find_timestamp_list(
        chapters_dir,
        values.get("season"),
        values.get("episode"),
        slug_for(path),
        values.get("short") or title,
    )
    if ts_path is not None:
        timestamps = load_timestamp_list(ts_path, problems)
    captions = None
    if values.get("captions") is not None:
        captions = load_raw_captions(values["captions"], problems)

    intro = values.get("intro")
    description = values.get("description")
    if values.get("guid") and values.get("audio"):
        values["audio"] = Audio(
            values["audio"].enclosure,
            values["audio"].source,
            values["guid"],
            values["audio"].published,
        )
    return Episode(
        slug=slug_for(path),
        source=path,
        title=title,
        short=values.get("short"),
        season=values.get("season"),
        number=values.get("episode"),
        guests=guests,
        image=values.get("image"),
        youtube_id=youtube_id,
        anchor_id=anchor_id,
        links=links,
        intro=intro,
        description=description,
        topics=values.get("topics", ()),
        keywords=values.get("keywords", ()),
        published=published,
        modified=modified,
        declared_duration=values.get("duration"),
        clips=values.get("quotableClips", ()),
        transcript=transcript,
        notes=clean_text(doc.body),
        notes_line=doc.body_line,
        timestamps=timestamps,
        captions=captions,
        audio=values.get("audio"),
        page_slug=page_slug_for(path, values.get("slug")),
        permalink=values.get("permalink"),
        episode_type=values.get("episodeType", "full"),
        license=values.get("license"),
        live=values.get("live"),
        field_lines=dict(doc.lines),
    )


def _youtube_id(url: str | None) -> str | None:
    if not url:
        return None
    match = re.search(r"(?:v=|youtu\.be/|/embed/|/shorts/)([A-Za-z0-9_-]{6,})", url)
    return match.group(1) if match else None


__all__ = ["load_episode", "page_slug_for", "slug_for"]
