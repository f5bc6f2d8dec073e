"""The plain-Markdown fast path finds exactly what markdown-it finds, or steps aside."""

from __future__ import annotations

import importlib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.linkcheck import fastmd
from feedgen_pod.linkcheck.collect import markdown_links, parsed_links
from feedgen_pod.linkcheck.fastmd import plain_links

#: the module (the package re-exports a function of the same name)
collect_module = importlib.import_module("feedgen_pod.linkcheck.collect")

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
def test_fast_path_agrees_with_markdown_it(pieces: list[str]) -> None:
    text = "".join(pieces)
    fast = plain_links(text, 5)
    if fast is None:
        return
    parsed = parsed_links(text, 5)
    assert [url for url, _ in fast] == [url for url, _ in parsed], text
    urls = {url for url, _ in fast}
    if not any(a != b and a in b for a in urls for b in urls):
        # the parser's lines come from a text search, fooled only by a URL inside another
        assert fast == parsed, text


@given(st.lists(st.sampled_from([*_PIECES, "  ", "  \n", "\n  \n", "<", ">"]), max_size=30))
@settings(max_examples=400, deadline=None)
def test_whole_text_pass_agrees_with_the_line_scan(pieces: list[str]) -> None:
    text = "".join(pieces)
    whole = fastmd._whole_text(text, 5)
    if whole is not None:
        assert whole == fastmd._by_line(text, 5), text
    elif not fastmd._ODD_BREAKS.search(text):
        assert plain_links(text, 5) == fastmd._by_line(text, 5), text


def test_a_long_list_of_links_takes_the_whole_text_pass() -> None:
    text = "Links:\n\n" + "".join(f"- <http://127.0.0.2:1/p/{i}>\n" for i in range(50))
    assert fastmd._whole_text(text, 3) == [(f"http://127.0.0.2:1/p/{i}", 5 + i) for i in range(50)]
    assert fastmd._whole_text("a\n    \nhttps://b.example/", 1) is None  # the line scan's
    assert plain_links("a\n    \nhttps://b.example/", 1) == [("https://b.example/", 3)]


def test_fast_path_takes_plain_lists_and_leaves_the_rest() -> None:
    text = "Links:\n\n- <https://a.example/1>\n- https://b.example/2, and more\n\n> <http://c.example/>"
    assert plain_links(text, 10) == [
        ("https://a.example/1", 12),
        ("https://b.example/2", 13),
        ("http://c.example/", 15),
    ]
    for tricky in ("`x`", "[a](https://a.example/)", "<b>", "a_b", "&amp;", "    code", "a\rb"):
        assert plain_links(f"https://x.example/ {tricky}", 1) is None


def test_corpus_links_unchanged_by_fast_path(corpus: Path, monkeypatch) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "episodes").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((corpus / "people").glob("*.md"))]
    texts += [t.split("\n---\n", 1)[-1] for t in texts]  # the notes alone, without front matter
    assert texts
    fast = [markdown_links(t, 1) for t in texts]
    monkeypatch.setattr(collect_module, "plain_links", lambda text, first: None)
    assert fast == [markdown_links(t, 1) for t in texts]


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
