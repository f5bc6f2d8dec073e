"""Every external URL of the show, with each place (file, line, field) it stands.

Reads only the loaded model (plus a people profile's file to place links in its bio exactly).
The same URL in many places becomes one ``Link`` with many sources: checked once, reported
for each.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..errors import display_path
from .fastmd import BARE_URL as _BARE_URL
from .fastmd import plain_links
from .types import Link, Source

if TYPE_CHECKING:  # the model is read, never made, here: its import is the loader's
    from ..model import Episode, Person, Show

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CLIP = re.compile(r"^quotableClips\.(\d+)$")
#: a link or image address in raw HTML (``href="…"``, ``src='…'``)
_HTML_URL = re.compile(r"""\b(?:href|src)\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_md = None


def _parser():  # type: ignore[no-untyped-def]
    """markdown-it, imported on first need: plain notes never need it."""
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        _md = MarkdownIt("commonmark")
    return _md


def _external(url: str) -> str | None:
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    return url if _SCHEME.match(url) else None


def _find_line(
    lines: list[str], url: str, start: int, end: int, after: int, used: Counter[tuple[str, int]]
) -> int:
    """Index of the line in [start, end) holding ``url``, searching from ``after`` first and
    passing lines whose occurrences of it were all placed already (``used``)."""
    candidates = {url, unquote(url), url.replace("&", "&amp;")}  # as written, escaped or not
    for i in range(max(start, after), min(end, len(lines))):
        if sum(lines[i].count(c) for c in candidates) > used[(url, i)]:
            return i
    for lo, hi in ((start, end), (0, len(lines))):
        for i in range(lo, min(hi, len(lines))):
            if any(c in lines[i] for c in candidates):
                return i
    return start


def markdown_links(text: str, first_line: int) -> list[tuple[str, int]]:
    """(url, file line) of every absolute link, image and bare URL in Markdown ``text``.

    >>> markdown_links("Hi\\n\\n- [a](https://a.example/x) and https://b.example/y.", 10)
    [('https://a.example/x', 12), ('https://b.example/y', 12)]
    """
    fast = plain_links(text, first_line)
    return fast if fast is not None else parsed_links(text, first_line)


def parsed_links(text: str, first_line: int) -> list[tuple[str, int]]:
    """``markdown_links`` by markdown-it's parse, for any Markdown."""
    import html  # with markdown-it, on this path only (start-up of plain notes' checks)

    lines = text.splitlines()
    found: list[tuple[str, int]] = []
    last: dict[str, int] = {}
    used: Counter[tuple[str, int]] = Counter()
    for token in _parser().parse(text):
        if token.type == "html_block" and token.map:  # <a href> / <img src> in raw HTML
            children = [token]
        elif token.type != "inline" or not token.map or not token.children:
            continue
        else:
            children = token.children
        start, end = token.map
        autolink = False
        for child in children:
            if child.type in ("html_block", "html_inline"):
                urls = [html.unescape(m.group(2)) for m in _HTML_URL.finditer(child.content)]
            elif child.type == "link_open":
                urls = [str(child.attrs.get("href", ""))]
                autolink = child.markup == "autolink"
            elif child.type == "link_close":
                autolink = False
                continue
            elif child.type == "image":
                urls = [str(child.attrs.get("src", ""))]
            elif child.type == "text" and not autolink:
                # an autolink's text is its own URL again, decoded (a%20b → "a b"): not a link
                urls = _BARE_URL.findall(child.content)
            else:
                continue
            for raw in urls:
                url = _external(raw)
                if url is None:
                    continue
                index = _find_line(lines, url, start, end, last.get(url, start), used)
                last[url] = index
                used[(url, index)] += 1
                found.append((url, first_line + index))
    return found


class _Collector:
    def __init__(self) -> None:
        self.sources: dict[str, list[Source]] = {}

    def add(self, url: str | None, path: str, line: int | None, field: str) -> None:
        if not url or not url.strip():
            return
        url = url.strip()
        entry = self.sources.setdefault(url, [])
        source = Source(path, line or 0, field)
        if source not in entry:
            entry.append(source)

    def links(self) -> list[Link]:
        return [Link(url, tuple(sorted(srcs))) for url, srcs in sorted(self.sources.items())]


def _episode(c: _Collector, show: Show, ep: Episode) -> None:
    path = display_path(ep.source)
    lines = ep.field_lines
    for key, url in sorted(ep.links.items()):
        line = lines.get(f"links.{key}")
        if line is None and key == "youtube" and "ids.youtube" in lines:
            continue  # made from ids.youtube, added below
        c.add(url, path, line or lines.get("links"), f"links.{key}")
    if ep.youtube_id and "ids.youtube" in lines:
        c.add(
            f"https://www.youtube.com/watch?v={ep.youtube_id}",
            path,
            lines["ids.youtube"],
            "ids.youtube",
        )
    if ep.image:
        c.add(show.absolute(ep.image), path, lines.get("image"), "image")
    clip_index = {line: int(m.group(1)) for key, line in lines.items() if (m := _CLIP.match(key))}
    for clip in ep.clips:
        index = clip_index.get(clip.source_line)
        field = f"quotableClips.{index}.url" if index is not None else "quotableClips"
        c.add(clip.url, path, lines.get(field) or clip.source_line, field)
    if ep.audio:
        from ..model import AudioSource  # imported by now: the loader made ``ep`` with it

        if ep.audio.source is AudioSource.FRONT_MATTER:
            audio_line = lines.get("audio.url") or lines.get("audio")
            c.add(ep.audio.enclosure.url, path, audio_line, "audio.url")
    for url, line in markdown_links(ep.notes, ep.notes_line):
        c.add(url, path, line, "notes")


def _bio_text(person: Person) -> tuple[str, int]:
    """The bio as it stands in the file (stripped in the model), with its first line."""
    if person.source is not None and person.body_line:
        try:
            text = Path(person.source).read_text(encoding="utf-8-sig", errors="replace")
            return "\n".join(text.splitlines()[person.body_line - 1 :]), person.body_line
        except OSError:
            pass
    return person.bio, person.body_line


def _person(c: _Collector, show: Show, person: Person) -> None:
    path = display_path(person.source)
    lines = person.field_lines
    twitter_field = "twitter" if "twitter" in lines else "x"
    for field, url in (
        ("github", person.github_url),
        (twitter_field, person.x_url),
        ("linkedin", person.linkedin_url),
        ("web", person.website_url),
    ):
        c.add(url, path, lines.get(field), field)
    if person.picture:
        c.add(show.absolute(person.picture), path, lines.get("picture"), "picture")
    text, first = _bio_text(person)
    for url, line in markdown_links(text, first):
        c.add(url, path, line, "bio")


def collect(show: Show, people: Mapping[str, Person], episodes: Iterable[Episode]) -> list[Link]:
    """Every external URL in the config, the people profiles and the episodes, by URL."""
    c = _Collector()
    config = display_path(show.source) if show.source else "config/podcast.yaml"
    for field, url in (
        ("site_url", show.site_url),
        ("feed_url", show.feed_url),
        ("image", show.image_url),
        ("audio_feed", show.audio_feed),
    ):
        if url and re.match(r"^https?://", url):
            c.add(url, config, show.field_lines.get(field), field)
    for person in people.values():
        if person.has_profile:
            _person(c, show, person)
    for episode in episodes:
        _episode(c, show, episode)
    return c.links()
