"""Episode files to validated ``Episode`` objects.

Front matter keys map to small parse functions (``fields.FIELDS``); a value of the wrong type is an
error naming the file, line and field, and that field is left out while the rest of the episode
still builds (dropping a whole episode from a feed makes apps delete it for subscribers). An
episode is skipped only when its file cannot be read at all or it has no title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Problem, Severity
from ..model import Episode, Person, TimestampEntry, TimestampList
from . import frontmatter
from .captions import load_raw_captions
from .dates import Released
from .field_base import Context, FieldError, clean_text, short_repr
from .fields import FIELDS
from .names import page_slug_for, slug_for
from .people import resolve
from .presets import COMMON_OWN
from .site_fields import SiteContext, read_site
from .timestamps import find_timestamp_list, load_timestamp_list
from .transcript import parse_transcript

_ANCHOR_EPISODE_ID = re.compile(r"-(e[0-9a-z]{4,9})(?=/a-[0-9a-z]+/?$|/?$)")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
#: a site generator's own fields: never reported as misspellings of ours
OWN_FIELDS = COMMON_OWN


def load_episode(
    path: Path,
    people: Mapping[str, Person],
    problems: list[Problem],
    hosts: tuple[Person, ...] = (),
    chapters_dir: Path | None = None,
    site: SiteContext | None = None,
) -> Episode | None:
    """Load one episode file; problems are appended, None when nothing usable is left.

    With a ``site`` whose layout is another generator's, the file's front matter is read
    through its preset (``site_fields``) into the fields below; this project's own layout is
    read as it is."""
    ctx = Context(path, {}, problems, people, hosts)
    if site is not None:
        ctx.dates = site.dates
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

    data, body = doc.data, doc.body
    chapters: tuple[TimestampEntry, ...] = ()
    if site is not None and site.layout.is_site:
        read = read_site(doc, path, site, ctx)
        if read.skip:
            severity = Severity.ERROR if read.skip_kind == "episode-unread" else Severity.INFO
            ctx.report("", read.skip, severity, line=1, kind=read.skip_kind)
            return None
        data, body, chapters = read.data, read.body, read.chapters
        ctx.lines = read.lines

    values: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        parse = FIELDS.get(key)
        if parse is None:
            if key not in OWN_FIELDS:
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

    transcript = parse_transcript(data.get("transcript"), ctx, guests + hosts)
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

    release: Released | None = values.get("dateadded") or values.get("date")
    published = release.day if release else None
    modified = values["date"].day if values.get("dateadded") and values.get("date") else None
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
    elif chapters:
        timestamps = TimestampList(path, chapters)
    captions = None
    if values.get("captions") is not None:
        captions = load_raw_captions(values["captions"], problems)

    intro = values.get("intro")
    description = values.get("description")
    if values.get("guid") and values.get("audio"):
        values["audio"] = replace(values["audio"], guid=values["guid"])
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
        released=release.moment if release else None,
        modified=modified,
        declared_duration=values.get("duration"),
        clips=values.get("quotableClips", ()),
        transcript=transcript,
        notes=clean_text(body),
        notes_line=doc.body_line,
        timestamps=timestamps,
        captions=captions,
        audio=values.get("audio"),
        page_slug=page_slug_for(path, values.get("slug")),
        permalink=values.get("permalink"),
        episode_type=values.get("episodeType", "full"),
        license=values.get("license"),
        explicit=values.get("explicit"),
        live=values.get("live"),
        field_lines=dict(ctx.lines),
    )


def _youtube_id(url: str | None) -> str | None:
    if not url:
        return None
    match = re.search(r"(?:v=|youtu\.be/|/embed/|/shorts/)([A-Za-z0-9_-]{6,})", url)
    return match.group(1) if match else None


__all__ = ["load_episode", "page_slug_for", "slug_for"]
