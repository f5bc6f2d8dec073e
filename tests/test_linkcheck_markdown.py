"""Links in Markdown, read by markdown-it.rs: the same URLs as markdown-it-py's tokens give
(a second parser of the same CommonMark), each at the line where it stands."""

from __future__ import annotations

import html
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from feedgen_pod.linkcheck.collect import BARE_URL, markdown_links

_HTML_URL = re.compile(r"""\b(?:href|src)\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_PY = MarkdownIt("commonmark")


def _reference(text: str) -> list[str]:
    """The absolute URLs of ``text`` by markdown-it-py's token stream, in order."""
    found: list[str] = []
    for token in _PY.parse(text):
        if token.type == "html_block":
            children = [token]
        elif token.type == "inline" and token.children:
            children = token.children
        else:
            continue
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
                urls = BARE_URL.findall(child.content)
            else:
                continue
            for url in urls:
                url = url.strip()
                if url.startswith("//"):
                    url = "https:" + url
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
                    found.append(url)
    return found


def _on_its_line(text: str, url: str, line: int, first: int) -> bool:
    """Whether ``url`` (as written, %-decoded or with ``&amp;``) stands on that line."""
    lines = text.splitlines()
    written = lines[line - first] if 0 <= line - first < len(lines) else ""
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host.lower() in html.unescape(written).lower() or url in written


_PIECES = [
    "https://a.example/x",
    "http://b.example:8080/p/1?q=2&r=3#f",
    "<https://c.example/y>",
    "<http://127.0.0.2:18931/p/7>",
    "<https://d.example/a%20b>",
    "<https://E.example/>",
    "<https://e.example/a b>",
    "<mailto:a@b.example>",
    "[t](https://f.example/z)",
    "![i](https://g.example/i.png)",
    "`https://code.example/`",
    "https://h.example/a_b_",
    "*https://i.example/*",
    "&amp;",
    "\\<",
    "- ",
    "1. ",
    "> ",
    "# ",
    "    ",
    "\t",
    "```",
    "~~~",
    "<div>",
    "[r]: https://ref.example/",
    "[r]",
    "see",
    "(",
    ")",
    ".",
    " ",
    "\n",
    "\n\n",
    "---",
    "===",
    "https://j.example/end.",
    "'https://k.example/q'",
    "https://w.example/wiki/Foo_(bar)",
    "(https://p.example/in-parens)",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
@settings(max_examples=400, deadline=None)
def test_urls_agree_with_markdown_it_py(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = markdown_links(text, 5)
    assert [url for url, _ in found] == _reference(text), text
    for url, line in found:
        assert _on_its_line(text, url, line, 5), (text, url, line)


def test_corpus_notes_and_bios_agree_with_markdown_it_py(corpus: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "episodes").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((corpus / "people").glob("*.md"))]
    texts = [t.split("\n---\n", 1)[-1] for t in texts]  # the notes alone
    found = [markdown_links(t, 1) for t in texts]
    assert sum(map(len, found)) > 30
    for text, links in zip(texts, found):
        assert [url for url, _ in links] == _reference(text)
        assert all(_on_its_line(text, url, line, 1) for url, line in links), links


def test_a_url_is_placed_where_it_is_linked_not_where_it_is_quoted_first() -> None:
    text = "Try `https://a.example/` yourself\n\nor [here](https://a.example/).\n"
    assert markdown_links(text, 3) == [("https://a.example/", 5)]


def test_plain_lists_of_links() -> None:
    text = "Links:\n\n- <https://a.example/1>\n- https://b.example/2, and more\n\n> <http://c.example/>"
    assert markdown_links(text, 10) == [
        ("https://a.example/1", 12),
        ("https://b.example/2", 13),
        ("http://c.example/", 15),
    ]
    assert markdown_links("a\r\nb https://e.example/caf\u00e9 \x00", 1) == [
        ("https://e.example/caf\u00e9", 2)
    ]


def test_balanced_parentheses_belong_to_a_url_and_a_closing_one_does_not() -> None:
    text = (
        "Wiki https://w.example/wiki/Foo_(bar), see (https://p.example/x) or\n"
        "(https://w.example/wiki/X_(y))."
    )
    assert markdown_links(text, 1) == [
        ("https://w.example/wiki/Foo_(bar)", 1),
        ("https://p.example/x", 1),
        ("https://w.example/wiki/X_(y)", 2),
    ]


def test_links_in_raw_html_are_found_on_their_lines() -> None:
    text = (
        "Intro\n"
        '<a href="https://h.example/?a=1&amp;b=2">a</a> and <https://g.example/>\n'
        "\n"
        "<div><img src='https://h.example/i.png'></div>\n"
        "\n"
        "[x](https://m.example/?q=1&amp;r=2)\n"
    )
    assert markdown_links(text, 10) == [
        ("https://h.example/?a=1&b=2", 11),
        ("https://g.example/", 11),
        ("https://h.example/i.png", 13),
        ("https://m.example/?q=1&r=2", 15),
    ]
