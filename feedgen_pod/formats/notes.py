"""Show notes: the episode's Markdown body to sanitised HTML, and intros to plain text.

markdown-it-py renders CommonMark (with tables and raw HTML). Whatever the Markdown holds,
nh3 (an allow-list sanitiser) removes scripts, event handlers and ``javascript:`` URLs, and
gives every link ``rel="noopener noreferrer"``. Relative links (``/people/x.html``,
``#section``) are made absolute against the episode page, since a podcast app shows the notes
far from the site.

The archive is written for Jekyll/Kramdown, whose attribute lists (``{:target="_blank"}``
after a link, ``{: .notice}`` on a line of its own) are handled by one rule, on the parsed
document: **an attribute list is never shown, and the one attribute the sanitiser keeps, a
link's ``target="_blank"``, is kept when the list stands right after the link**. A line of
attribute lists alone ends the paragraph above it, as in Kramdown. Code keeps its text.
"""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

#: tags podcast apps render in show notes (Apple: p, ol, ul, li, a; the rest degrade well)
TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

#: a Kramdown attribute list, with the spaces before it
_IAL = re.compile(r"[ \t]*\{:[^}\n]*\}")
#: one at the start of a text: right after the link before it
_LEADING_IAL = re.compile(r"\{:([^}\n]*)\}")
#: a line of attribute lists only (a Kramdown block attribute list)
_IAL_LINE = re.compile(r"(?:[ \t]*\{:[^}\n]*\})+[ \t]*")
_TARGET_BLANK = re.compile(r"""(?:^|\s)target\s*=\s*(["']?)_blank\1(?:\s|$)""")
_BR = re.compile(r"<br\s*/?>", re.I)
#: a tag (a "<" that starts none, as in "3 < 4", is text)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINE_BREAKS = frozenset({"softbreak", "hardbreak"})


def _block_attribute_list(state: StateBlock, line: int, _end: int, silent: bool) -> bool:
    """A line holding only attribute lists: consumed without a token (it ends a paragraph)."""
    if state.is_code_block(line):
        return False
    start = state.bMarks[line] + state.tShift[line]
    if not _IAL.match(state.src, start) or not _IAL_LINE.fullmatch(
        state.src, start, state.eMarks[line]
    ):
        return False
    if not silent:
        state.line = line + 1
    return True


def _inline_attribute_lists(state: StateCore) -> None:
    """Attribute lists in text and raw HTML blocks removed; one right after a link with
    ``target="_blank"`` sets the link's target."""
    for block in state.tokens:
        if "{:" not in block.content:
            continue
        if block.type == "inline" and block.children:
            block.children = _without_lists(block.children)
        elif block.type == "html_block":
            block.content = _IAL.sub("", block.content)


def _without_lists(children: list[Token]) -> list[Token]:
    kept: list[Token] = []
    opened: list[Token] = []  # link_open tokens, to find the one a link_close ends
    closed: Token | None = None  # the link a link_close just ended
    for token in children:
        if token.type == "link_open":
            opened.append(token)
        elif token.type == "link_close" and opened:
            closed = opened.pop()
        if token.type == "text" and "{:" in token.content:
            content = token.content
            leading = _LEADING_IAL.match(content)
            after_link = bool(kept) and kept[-1].type == "link_close"
            targeted = leading is not None and _TARGET_BLANK.search(leading.group(1))
            if closed is not None and after_link and targeted:
                closed.attrSet("target", "_blank")
            content = _IAL.sub("", content)
            if not kept or kept[-1].type in _LINE_BREAKS:
                content = content.lstrip(" \t")  # a line starts after it, as in the source
            if not content:
                continue
            token.content = content
        kept.append(token)
    return kept


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.block.ruler.before(
        "paragraph",
        "attribute_list",
        _block_attribute_list,
        {"alt": ["paragraph", "blockquote", "list"]},
    )
    md.core.ruler.push("attribute_lists", _inline_attribute_lists)
    return md


#: one parser for every note (making one costs more than rendering a note with it)
_MD = _markdown()


def render_notes(markdown: str, base_url: str | None = None) -> str:
    """Markdown show notes → sanitised HTML (empty string for empty notes)."""
    if not markdown.strip():
        return ""
    return sanitise(_MD.render(markdown), base_url).strip()


def sanitise(fragment: str, base_url: str | None = None) -> str:
    """Allow-list sanitising: only ``TAGS``/``ATTRIBUTES``, http(s)/mailto URLs, safe rel;
    relative URLs resolved against ``base_url`` (the episode page) when given."""
    return nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        tag_attribute_values={"a": {"target": {"_blank"}}},
        url_relative=("rewrite_with_base", base_url) if base_url else "pass_through",
    )


def intro_html(text: str | None) -> str:
    """An intro (plain text with ``<br>`` breaks) as sanitised paragraphs."""
    if not text:
        return ""
    paragraphs = [p.strip() for p in re.split(r"(?:\s*<br\s*/?>\s*){2,}|\n{2,}", text, flags=re.I)]
    out = []
    for paragraph in paragraphs:
        if paragraph:
            lines = [html.escape(part.strip(), quote=False) for part in _BR.split(paragraph)]
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return sanitise("".join(out))


def plain_text(text: str | None) -> str:
    """Intro or description as plain text: ``<br>`` becomes a line break, other tags go.

    >>> plain_text("One.<br><br>Two &amp; <b>three</b>")
    'One.\\n\\nTwo & three'
    """
    if not text:
        return ""
    text = _BR.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()
