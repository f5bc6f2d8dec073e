"""Show notes: the episode's Markdown body to sanitised HTML, and intros to plain text.

The archive is written for Jekyll/Kramdown, so links carry attribute lists like
``[x](url){:target="_blank"}``. They are understood (turned into the attrs syntax
markdown-it-py's plugin reads) and never shown as text; any other ``{:...}`` list is dropped.
Whatever the Markdown holds, nh3 (an allow-list sanitiser) removes scripts, event handlers and
``javascript:`` URLs, and gives every link ``rel="noopener noreferrer"``. Relative links
(``/people/x.html``, ``#section``) are made absolute against the episode page, since a podcast
app shows the notes far from the site.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

try:
    from markdown_it_pyrs import MarkdownIt as MarkdownIt_rs
except ImportError:  # no wheel for this platform: markdown-it-py renders the same notes
    MarkdownIt_rs = None

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

#: a Kramdown attribute list right after a link or autolink: ``){:`` / ``>{:``
_LINK_IAL = re.compile(r"(?<=[)>])\{:\s*([^}\n]*)\}")
#: any other Kramdown attribute list, inline or on a line of its own
_OTHER_IAL = re.compile(r"[ \t]*\{:[^}\n]*\}")
_BR = re.compile(r"<br\s*/?>", re.I)
#: a tag (a "<" that starts none, as in "3 < 4", is text)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")


@cache
def _reference() -> MarkdownIt:
    """markdown-it-py with its attributes plugin: the reference, and the fallback. Imported
    when first needed: with the fast engine installed, a build never needs it (its import
    was a sixth of a one-episode rebuild's start-up)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin

    return MarkdownIt("commonmark", {"html": True}).use(attrs_plugin).enable("table")


#: markdown-it.rs (Rust), the same CommonMark, faster; it has no attributes plugin,
#: and the only attribute the sanitiser lets through is a link's ``target="_blank"``, so the
#: lists are read here (``_marked``) and that one is put back (``_with_targets``)
_FAST = MarkdownIt_rs("commonmark").enable("table") if MarkdownIt_rs is not None else None


def _kramdown_to_attrs(markdown: str) -> str:
    """``){:target="_blank"}`` → ``){target="_blank"}``; other ``{:...}`` lists removed."""
    text = _LINK_IAL.sub(lambda m: "{" + m.group(1).strip() + "}", markdown)
    return _OTHER_IAL.sub("", text)


def render_notes(markdown: str, base_url: str | None = None) -> str:
    """Markdown show notes → sanitised HTML (empty string for empty notes)."""
    if not markdown.strip():
        return ""
    fast = _FAST is not None and _MARK not in markdown and _NO_TARGET not in markdown
    rendered = _render_fast(markdown) if fast else _render_reference(markdown)
    return sanitise(rendered, base_url).strip()


def _render_reference(markdown: str) -> str:
    return _reference().render(_kramdown_to_attrs(markdown))


def _render_fast(markdown: str) -> str:
    assert _FAST is not None
    return _with_targets(_FAST.render(_marked(markdown)))


#: stands where a link's attribute list stood: punctuation, as the list's closing brace is
#: (emphasis next to it then opens and closes as it does in the reference); "⸻" (three-em
#: dash) is never in real notes, and a note that holds it is rendered by the reference
_MARK = "\u2e3b"
#: the list itself where it asks for nothing the sanitiser keeps
_NO_TARGET = "\u2e3a"
_TARGET_BLANK = re.compile(r"""(?:^|\s)target\s*=\s*(["']?)_blank\1(?:\s|$)""")
#: a rendered link and the mark after it (links do not nest; attribute values are escaped)
_MARKED_LINK = re.compile(r"(<a\b[^>]*)(>(?:(?!</a>).)*</a>)\u2e3b", re.S)


def _marked(markdown: str) -> str:
    """Attribute lists removed, and a mark after each link whose list has target="_blank"."""
    text = _LINK_IAL.sub(
        lambda m: _MARK if _TARGET_BLANK.search(m.group(1)) else _NO_TARGET, markdown
    )
    return _OTHER_IAL.sub("", text)


def _with_targets(rendered: str) -> str:
    if _MARK in rendered:
        rendered = _MARKED_LINK.sub(r'\1 target="_blank"\2', rendered).replace(_MARK, "")
    return rendered.replace(_NO_TARGET, "")


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
