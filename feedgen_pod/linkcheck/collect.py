"""Every external URL of the show, with each place (file, line, field) it stands.

Reads only the loaded model (plus a people profile's file to place links in its bio exactly);
Markdown is read by markdown-it-py, the parser that renders it (``formats/notes.py``).

The same URL in many places becomes one ``Link`` with many sources: checked once, reported
for each.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline, autolink, backtick, html_inline, image, link
from markdown_it.token import Token

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
#: markdown-it-py's inline rules whose tokens can hide line breaks of the source (a code span
#: or a link destination over two lines), or that make a link: each is wrapped to note where
#: its tokens stand (see ``_located``)
_LOCATED_RULES = {
    "backticks": backtick,
    "link": link,
    "image": image,
    "autolink": autolink,
    "html_inline": html_inline,
}


def _located(rule: Any) -> Any:
    """``rule``, noting on its first token the source offsets (in the inline text) it
    started and ended at. markdown-it-py keeps no place for inline tokens; only their
    block's first line. The text waiting before is pushed first, so the rule's own token is
    the first it adds (adjacent text is joined again at the end of the inline parse)."""

    def located(state: StateInline, silent: bool) -> bool:
        if silent:
            return bool(rule(state, silent))
        start = state.pos
        state.pushPending()
        first = len(state.tokens)
        if not rule(state, silent):
            return False
        if first < len(state.tokens):
            state.tokens[first].meta["span"] = (start, state.pos)
        return True

    return located


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"store_labels": True})
    for name, rule in _LOCATED_RULES.items():
        md.inline.ruler.at(name, _located(rule))
    return md


#: CommonMark, as the notes are rendered (the tables extension holds no link of its own)
_MD = _parser()


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
    env: dict[str, Any] = {}
    tokens = _MD.parse(text, env)
    #: a reference link (``[text][label]``) stands where its label is defined
    defined = {
        label: first_line + ref["map"][0] for label, ref in env.get("references", {}).items()
    }
    found: list[tuple[str, int]] = []

    def add(raw: str, line: int) -> None:
        url = _external(raw)
        if url is not None:
            found.append((url, line))

    for token in tokens:
        if token.map is None:
            continue
        line = first_line + token.map[0]
        if token.type == "html_block":
            _html_links(token.content, line, add)
        elif token.type == "inline" and token.children:
            _inline_links(token.content, token.children, line, defined, add)
    return found


def _html_links(content: str, line: int, add: Any) -> None:
    for match in _HTML_URL.finditer(content):
        add(html.unescape(match.group(2)), line + content.count("\n", 0, match.start()))


def _inline_links(
    content: str, children: list[Token], first: int, defined: Mapping[str, int], add: Any
) -> None:
    """The links of one block's inline tokens; ``first`` is the block's first line."""
    line = first
    ends: list[int] = []  # the line each open link's source ends on, for its link_close
    in_autolink = False
    for token in children:
        span = token.meta.get("span")
        if span is not None:
            line = first + content.count("\n", 0, span[0])
            end = first + content.count("\n", 0, span[1])
        kind = token.type
        if kind in ("softbreak", "hardbreak"):
            line += 1
        elif kind == "text" and not in_autolink:
            for url in BARE_URL.findall(token.content):
                add(url, line)
        elif kind in ("link_open", "image"):
            url = str(token.attrs.get("href" if kind == "link_open" else "src", ""))
            label = token.meta.get("label")
            add(url, defined.get(label, line) if label else line)
            in_autolink = token.markup == "autolink"
            if kind == "link_open":
                ends.append(end if span is not None else line)
            elif span is not None:
                line = end
        elif kind == "link_close":
            in_autolink = False
            line = ends.pop() if ends else line
        elif kind == "html_inline":
            _html_links(token.content, line, add)
            line = end if span is not None else line
        elif kind == "code_inline" and span is not None:
            line = end


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
