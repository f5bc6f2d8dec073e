"""Every external URL of the show, with each place (file, line, field) it stands.

Reads only the loaded model (plus a people profile's file to place links in its bio exactly);
Markdown is read by markdown-it.rs, the parser that renders it.

The same URL in many places becomes one ``Link`` with many sources: checked once, reported
for each.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markdown_it_pyrs import MarkdownIt

from ..errors import display_path
from ..model import AudioSource, Episode, Person, Show
from .types import Link, Source

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CLIP = re.compile(r"^quotableClips\.(\d+)$")
#: a link or image address in raw HTML (``href="…"``, ``src='…'``)
_HTML_URL = re.compile(r"""\b(?:href|src)\s*=\s*(["'])(.*?)\1""", re.I | re.S)
#: a bare URL in text (trailing punctuation is not part of it); parentheses are part of a URL
#: only in balanced pairs (``wiki/Foo_(bar)``), so a URL written in parentheses does not take
#: the closing one
_URL_CHAR = r"[^\s<>\"'`\]\[()]"
_PARENS = rf"\({_URL_CHAR}*\)"
BARE_URL = re.compile(rf"https?://(?:{_URL_CHAR}|{_PARENS})*(?:[^\s<>\"'`\]\[().,;:!?]|{_PARENS})")
#: markdown-it.rs, the parser that renders the notes (``formats/notes.py``), CommonMark only
_MD = MarkdownIt("commonmark")
#: nodes whose text is code, or a URL found already (an autolink's text is its URL decoded)
_NOT_TEXT = frozenset({"code_inline", "code_block", "fence", "autolink", "image", "definition"})


def _external(url: str) -> str | None:
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    return url if _SCHEME.match(url) else None


def markdown_links(text: str, first_line: int) -> list[tuple[str, int]]:
    """(url, file line) of every absolute link, image and bare URL in Markdown ``text``, and
    every ``href``/``src`` in its raw HTML, in order, each at the line it starts on.

    >>> markdown_links("Hi\\n\\n- [a](https://a.example/x) and https://b.example/y.", 10)
    [('https://a.example/x', 12), ('https://b.example/y', 12)]
    """
    source = text.encode("utf-8")  # the parser's source map counts bytes
    found: list[tuple[str, int]] = []

    def line(node: Any, within: str = "", at: int = 0) -> int:
        start = node.srcmap[0] if node.srcmap else 0
        return first_line + source.count(b"\n", 0, start) + within.count("\n", 0, at)

    def add(raw: str, where: int) -> None:
        url = _external(raw)
        if url is not None:
            found.append((url, where))

    def walk(node: Any) -> None:
        run: list[str] = []  # adjacent text (escapes and entities included) read as one
        run_line = 0
        for child in node.children:
            name = child.name
            if name in ("text", "text_special"):
                if not run:
                    run_line = line(child)
                run.append(child.meta.get("content", ""))
                continue
            if run:
                for url in BARE_URL.findall("".join(run)):
                    add(url, run_line)
                run = []
            if name in ("link", "image", "autolink"):
                url = child.meta.get("url", "")
                end = child.srcmap[1] if child.srcmap else 0
                where = defined.get(url) if source[end - 1 : end] == b"]" else None
                add(url, where or line(child))
            elif name in ("html_inline", "html_block"):
                content = child.meta.get("content", "")
                for match in _HTML_URL.finditer(content):
                    add(html.unescape(match.group(2)), line(child, content, match.start()))
            if name not in _NOT_TEXT:
                walk(child)
        for url in BARE_URL.findall("".join(run)):
            add(url, run_line)

    tree = _MD.tree(text)
    #: a reference link (``[text][label]``, ended by ``]``) stands where its label is defined
    defined = {
        node.meta.get("destination", ""): line(node)
        for node in tree.children
        if node.name == "definition"
    }
    walk(tree)
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
    if ep.audio and ep.audio.source is AudioSource.FRONT_MATTER:
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
