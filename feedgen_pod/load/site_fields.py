"""Another site's front matter read through its preset into the fields the loader knows.

``read_site`` takes a parsed file and the show's ``SiteLayout`` and returns the values as this
project's own layout names them (``title``, ``date``, ``audio: {url, length, type}``,
``guid``, ``permalink``), each with the line it came from, so the same field parsers, checks
and model serve every site. Units and formats are applied here (Astropod's ``size`` in
megabytes, a duration in minutes); the guid and the page's path follow the generator's rules
(``site_pages``). Keys no rule reads are the site's own business: only a near miss of a key the
preset reads (``podcast_flie``) is reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..model import FieldRule, SiteLayout, TimestampEntry
from ..times import parse_clock, parse_iso_duration
from . import site_pages
from .dates import DateRules, read_date
from .field_audio import guess_audio_type
from .field_base import MAX_SECONDS, Context, short_repr
from .frontmatter import Document
from .presets import COMMON_OWN, PRESETS, SIZE_FACTORS, TARGETS, TIME_FACTORS, Preset
from .templatetags import resolve_tags


@dataclass(frozen=True)
class SiteContext:
    """What reading a site's files needs beyond the file: the layout and where things are."""

    layout: SiteLayout
    site_url: str
    episodes_dir: Path
    #: a date after this makes the episode a draft (the build's start, or SOURCE_DATE_EPOCH)
    now: datetime | None = None
    #: build drafts too (``--drafts``)
    drafts: bool = False

    @property
    def dates(self) -> DateRules:
        return DateRules(self.layout.date_order, self.layout.release_time, self.layout.timezone)

    @property
    def content_dir(self) -> Path:
        """Where page paths start: the config's ``content_dir``; for a Hugo site the
        ``content`` folder that holds the episodes, else the episodes folder's parent."""
        if self.layout.content_dir is not None:
            return self.layout.content_dir
        for folder in (self.episodes_dir, *self.episodes_dir.parents):
            if folder.name == "content":
                return folder
        return self.episodes_dir.parent


@dataclass
class SiteRead:
    """A site's file as the loader's own fields: ``skip`` says why it is no episode."""

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    #: why the file is not built ("" when it is): not an episode, or a draft
    skip: str = ""
    #: the skip's problem kind: ``not-an-episode`` or ``episode-draft``
    skip_kind: str = ""
    #: chapters the front matter lists (Octopod's ``'00:01:02.000 Title'`` strings)
    chapters: tuple[TimestampEntry, ...] = ()


def read_site(doc: Document, path: Path, site: SiteContext, ctx: Context) -> SiteRead:
    preset = PRESETS[site.layout.preset]
    assert preset is not None
    data, lines, raw = doc.data, doc.lines, doc.raw
    if preset.case_insensitive:
        data = {str(k).lower(): v for k, v in data.items()}
        lines = {k.lower(): v for k, v in lines.items()}
        raw = {k.lower(): v for k, v in raw.items()}
    ctx.lines = lines
    rules: dict[str, FieldRule] = {**preset.fields, **dict(site.layout.fields)}
    out = SiteRead(body=doc.body)
    used: set[str] = set()
    reported: set[str] = set()
    for target, rule in rules.items():
        if TARGETS[target] == "urls":  # every key with a value: the audio's other formats
            urls = _urls(data, lines, rule, preset.case_insensitive, site, ctx, reported)
            if urls:
                _put(out, target, urls, None)
            continue
        found = next(_found(data, rule.keys, preset.case_insensitive), None)
        if found is None:
            continue
        key, value = found
        used.add(key.split(".")[0])
        line = lines.get(key) or lines.get(key.split(".")[0])
        try:
            value = _convert(TARGETS[target], value, raw.get(key), rule, site)
        except ValueError as exc:
            ctx.report(key, f"{exc}; the field is left out", line=line, kind="field-invalid")
            reported.add(key)
            continue
        if value is None:
            continue
        if TARGETS[target] == "size" and isinstance(value, float):  # a duration in a size field
            ctx.warn(
                key,
                "holds a duration, not a file size; read as the duration",
                line=line,
                kind="size-holds-duration",
            )
            target, value = "duration", value
            if "duration" in out.data:
                continue
        _put(out, target, value, line)
    _near_misses(data, lines, used, rules, preset, ctx)
    out.chapters = _chapters(out.data.pop("chapters", None), out.lines.get("chapters"), ctx)
    if preset.generator == "jekyll" and "date" not in out.data:
        day = site_pages.jekyll_post_date(path)  # a post's date is in its file name
        if day is not None:
            out.data["date"] = day
    if out.data.pop("upcoming", False) is True:
        out.skip, out.skip_kind = "marked upcoming: not in the site's feed", "not-an-episode"
        return out
    audio = out.data.get("audio", {})
    if "url" not in audio:
        keys = ", ".join(rules["audio.url"].keys) if "audio.url" in rules else "audio.url"
        if not used:  # nothing the preset reads: the wrong preset, or fields to map
            out.skip = (
                f"no field the {preset.name} preset reads is here (audio from {keys}): set "
                "preset to this site's layout, or map its keys under fields: (audio.url: ...)"
            )
            out.skip_kind = "episode-unread"
        else:
            out.skip = f"not an episode: no audio ({keys}); set fields: audio.url if it has one"
            out.skip_kind = "not-an-episode"
        return out
    audio.setdefault("type", guess_audio_type(audio["url"]))
    others = [url for url in dict.fromkeys(audio.pop("alternates", ())) if url != audio["url"]]
    if others:
        audio["alternates"] = others
    _page_and_guid(out, path, data, preset, site)
    _draft(out, site)
    out.body = resolve_tags(doc.body, data, doc.body_line, ctx)
    return out


def _chapters(value: Any, line: int | None, ctx: Context) -> tuple[TimestampEntry, ...]:
    """``['00:00:01.000 Intro']``: each a time and a title; a wrong one is skipped with a word."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    entries = []
    for index, item in enumerate(items):
        time_text, _, title = str(item).strip().partition(" ")
        try:
            start = parse_clock(time_text)
        except ValueError:
            start = None
        if start is None or not title.strip() or start > MAX_SECONDS:
            ctx.warn(
                f"chapters.{index}",
                f"expected 'HH:MM:SS.mmm Title', got {str(item)[:60]!r}; skipped",
                line=ctx.lines.get(f"chapters.{index}", line),
                kind="timestamp-line-invalid",
            )
            continue
        entries.append(TimestampEntry(start, title.strip(), ctx.lines.get(f"chapters.{index}", 0)))
    return tuple(entries)


def _found(data: dict, keys: tuple[str, ...], fold: bool) -> Iterator[tuple[str, Any]]:
    """Each of ``keys`` (dotted inside mappings) that has a value, in order; "" and None are
    none. The first is the field's value."""
    for key in keys:
        value: Any = data
        for part in (key.lower() if fold else key).split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and value != "" and value != []:
            yield (key.lower() if fold else key), value


def _urls(
    data: dict,
    lines: dict[str, int],
    rule: FieldRule,
    fold: bool,
    site: SiteContext,
    ctx: Context,
    reported: set[str],
) -> list[str]:
    """The audio URLs of every key of ``rule`` that has one; a wrong one is reported once
    (the enclosure's rule may have reported the same key already)."""
    urls = []
    for key, value in _found(data, rule.keys, fold):
        try:
            urls.append(_audio_url(value, site))
        except ValueError as exc:
            if key not in reported:
                line = lines.get(key) or lines.get(key.split(".")[0])
                ctx.report(key, f"{exc}; the field is left out", line=line, kind="field-invalid")
                reported.add(key)
    return urls


def _put(out: SiteRead, target: str, value: Any, line: int | None) -> None:
    if target.startswith("audio."):
        out.data.setdefault("audio", {})[target[6:]] = value
        if line and target == "audio.url":
            out.lines["audio"] = line
    else:
        out.data[target] = value
    if line:
        out.lines[target] = line


def _convert(kind: str, value: Any, raw: str | None, rule: FieldRule, site: SiteContext) -> Any:
    if kind == "number":
        return _number(raw if raw is not None else value)
    if kind == "flag":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0", "clean"):
            return False
        raise ValueError(f"expected true or false, got {value!r}")
    if kind == "date":
        if rule.format and isinstance(value, str):
            return datetime.strptime(value.strip(), rule.format)
        return value
    if kind == "duration":
        return _seconds(raw if raw is not None else value, rule)
    if kind == "size":
        if (raw is not None and ":" in raw) or (isinstance(value, str) and ":" in value):
            return _seconds(raw if raw is not None else value, FieldRule(rule.keys, format="clock"))
        return _bytes(value, rule.unit or "bytes")
    if kind == "url":
        return _audio_url(value, site)
    return value


def _number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number like 3, got {value!r}")
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(f"expected a whole number like 3, got {value!r}")
    return int(text[:12])


def _seconds(value: Any, rule: FieldRule) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected a duration like 1:02:03, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value) * TIME_FACTORS[rule.unit or "seconds"]
    text = str(value).strip()
    try:
        return float(Decimal(text)) * TIME_FACTORS[rule.unit or "seconds"]
    except InvalidOperation:
        pass
    try:
        return parse_iso_duration(text)
    except ValueError:
        return parse_clock(text)


def _bytes(value: Any, unit: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a file size, got {value!r}")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"expected a file size in {unit}, got {value!r}") from None
    # compared before multiplying: ``1e999999999`` would make an integer of a billion digits
    if not amount.is_finite() or not 0 <= amount < Decimal(10**13) / SIZE_FACTORS[unit]:
        raise ValueError(f"expected a file size in {unit}, got {short_repr(value)}")
    return int(amount * SIZE_FACTORS[unit])


def _audio_url(value: Any, site: SiteContext) -> str:
    text = str(value).strip()
    if "://" in text:
        return text
    if not site.layout.media_url:
        raise ValueError(
            f"{text!r} is a file name, not a URL: set media_url in the config to the address "
            "the site puts before it"
        )
    return site.layout.media_url + text


def _page_and_guid(
    out: SiteRead, path: Path, data: dict, preset: Preset, site: SiteContext
) -> None:
    pattern = site.layout.permalink or preset.permalink
    day = _day(out.data.get("date"), site.dates)
    if preset.generator == "hugo":
        page = site_pages.hugo_page(path, data, pattern, site.content_dir)
    elif preset.generator == "jekyll":
        page = site_pages.jekyll_page(path, data, pattern, site.episodes_dir.parent, day)
    elif preset.generator == "astro":
        slug = data.get("slug") or site_pages.astro_slug(path, site.episodes_dir)
        page = site_pages.pattern_page(path, {**data, "slug": slug}, pattern)
    else:
        page = site_pages.pattern_page(path, data, pattern)
    page = quote(page, safe="/._~!$&'()*+,;=@-%")
    out.data["permalink"] = page
    base = (site.layout.page_base_url or site.site_url).rstrip("/")
    own = out.data.get("guid")
    if preset.guid == "field-else-audio":
        guid = own or out.data["audio"]["url"]
    elif preset.guid == "base-slash-field-else-page":
        guid = f"{base}/{own}" if own else base + page
    elif preset.guid == "field-else-page":
        guid = own or base + page
    else:
        guid = base + page
    out.data["guid"] = str(guid)
    for name in ("slug", "url"):
        out.data.pop(name, None)


def _day(value: Any, rules: DateRules) -> date | None:
    if value is None:
        return None
    try:
        return read_date(value, rules).day
    except ValueError:
        return None


def _draft(out: SiteRead, site: SiteContext) -> None:
    if site.drafts:
        out.data.pop("draft", None)
        out.data.pop("published", None)
        return
    if out.data.pop("draft", False) is True:
        out.skip, out.skip_kind = "a draft (draft: true); built with --drafts", "episode-draft"
    elif out.data.pop("published", True) is False:
        out.skip, out.skip_kind = "a draft (published: false); built with --drafts", "episode-draft"
    elif site.now is not None and "date" in out.data:
        try:
            released = read_date(out.data["date"], site.dates)
        except ValueError:
            return
        moment = released.moment or datetime.combine(
            released.day, datetime.min.time(), site.now.tzinfo
        )
        if moment > site.now:
            out.skip = f"dated {released.day.isoformat()}, in the future: built from that day on"
            out.skip_kind = "episode-scheduled"


def _near_misses(
    data: dict,
    lines: dict[str, int],
    used: set[str],
    rules: dict[str, FieldRule],
    preset: Preset,
    ctx: Context,
) -> None:
    """A key close to one the preset reads, that no rule read: a likely misspelling."""
    known = {key.split(".")[0].lower() for rule in rules.values() for key in rule.keys}
    for key in data:
        name = str(key)
        lower = name.lower()
        if name in used or lower in known or lower in COMMON_OWN or lower in preset.own_fields:
            continue
        match = difflib.get_close_matches(lower, known, n=1, cutoff=0.85)
        if match:
            ctx.warn(
                name,
                f"unknown field, ignored: did you mean {match[0]!r}?",
                line=lines.get(name),
                kind="field-unknown",
            )
