"""Show notes render the same with markdown-it.rs (the fast engine) as with markdown-it-py.

markdown-it-py with its attributes plugin is the reference (and the fallback where the Rust
wheel is missing); the fast path reads Kramdown attribute lists itself and puts back the one
attribute the sanitiser keeps, a link's ``target="_blank"``. Both are compared, sanitised, on
every episode body of the corpus and the default show, on hand-picked cases and on generated
notes built from the pieces real notes use. People's bios, which the JSON-LD gives as plain
text, are compared the same way.
"""

from __future__ import annotations

import html
import re

import nh3
import pytest
from conftest import CORPUS, ROOT
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from feedgen_pod.formats import jsonld_common, notes
from feedgen_pod.load.frontmatter import parse

pytest.importorskip("markdown_it_pyrs", reason="markdown-it-pyrs has no wheel here")

BASE = "https://example.org/episodes/e1.html"


def both(markdown: str) -> tuple[str, str]:
    """Each engine's notes as ``render_notes`` gives them (sanitised, stripped)."""
    reference = notes.sanitise(notes._render_reference(markdown), BASE).strip()
    fast = notes.sanitise(notes._render_fast(markdown), BASE).strip()
    return reference, fast


def test_every_real_body_renders_the_same() -> None:
    files = sorted((ROOT / "episodes").glob("*.md"))
    if CORPUS.is_dir():
        files += sorted((CORPUS / "episodes").glob("*.md*"))
    bodies = [parse(path.read_text(encoding="utf-8")).body for path in files]
    assert sum('{:target="_blank"}' in body for body in bodies) >= 2
    for body in bodies:
        reference, fast = both(body)
        assert fast == reference


@pytest.mark.parametrize(
    "markdown",
    [
        '* [Site](https://a.example){:target="_blank"}\n* <https://b.example>{:target="_blank"}\n',
        '[a *b* `c`](https://x.example "Title"){:target="_blank"} and [d](https://z.example)',
        "[e](https://e.example){: target=_blank } [f](https://f.example)",
        '[g](https://g.example){:target="_self"} [h](/people/h.html){:.note #id}',
        '<a href="https://raw.example">raw</a> and ![img](/i.png){:width="9"}\n\n{:.para}\n',
        '| a | b |\n|---|---|\n| [x](https://x.example){:target="_blank"} | 2 |\n',
        '> quote [q](https://q.example){:target="_blank"}\n\n1. one\n2. two\n\n```\ncode\n```\n',
        "<script>alert(1)</script>[bad](javascript:alert(2))",
    ],
)
def test_hand_picked_notes_render_the_same(markdown: str) -> None:
    reference, fast = both(markdown)
    assert fast == reference


def test_lists_the_plugin_cannot_read_are_hidden_too() -> None:
    """The reference shows an attribute list its plugin cannot parse as text (single quotes,
    an unclosed quote); the fast path hides every list, as the README says, and still reads
    a single-quoted target."""
    html = notes.render_notes(
        "[f](https://f.example){:target='_blank'} [g](https://g.example){:x=\"}"
    )
    assert "{" not in html
    assert '<a href="https://f.example" target="_blank"' in html
    assert '<a href="https://g.example" rel=' in html
    # after what is no link (a refused javascript: address), the reference shows it as text
    assert notes.render_notes('[bad](javascript:alert(2)){:target="_blank"}') == (
        "<p>[bad](javascript:alert(2))</p>"
    )


#: words and links as real notes have them (an attribute list only after a link: after
#: anything else the reference shows it as text, see above)
INLINE = st.sampled_from(
    [
        "text",
        "*em*",
        "**strong**",
        "`code`",
        "&amp;",
        "<br>",
        "[Ann](https://ann.example)",
        '[Bo *b*](https://bo.example/x?y=1&z=2 "t")',
        "<https://auto.example>",
        '[Cy](https://cy.example){:target="_blank"}',
        '<https://dee.example>{:target="_blank"}',
        "[Ed](/people/ed.html){:.cls}",
    ]
)
#: how a line of notes starts: a paragraph, a list item, a heading, a quote
LEAD = st.sampled_from(["", "* ", "- ", "1. ", "## ", "> "])
LINE = st.builds(
    lambda lead, words: lead + " ".join(words), LEAD, st.lists(INLINE, min_size=1, max_size=6)
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(LINE, st.just("")), max_size=12).map("\n".join))
def test_generated_notes_render_the_same(markdown: str) -> None:
    """Note-like documents (lines of links and words, lists, headings, quotes) give the same
    HTML up to white space next to tags, which a reader never sees (raw HTML in a quote
    keeps its line breaks in different places). The two engines also disagree on corners of
    CommonMark that notes do not reach, such as an empty list item after a quote."""
    reference, fast = both(markdown)
    assert "{" not in fast  # no attribute list is ever shown
    assume("{" not in reference)  # where the reference shows one (see above), it differs
    assert _AT_TAGS.sub(r"\1", fast) == _AT_TAGS.sub(r"\1", reference)


#: white space before or after a tag
_AT_TAGS = re.compile(r"\s*(<[^>]*>)\s*")


def test_the_fast_engine_is_used_when_installed() -> None:
    assert notes._FAST is not None
    html = notes.render_notes('[x](https://x.example){:target="_blank"}')
    link = '<a href="https://x.example" target="_blank" rel="noopener noreferrer">x</a>'
    assert html == f"<p>{link}</p>"


def test_the_marks_never_reach_the_notes_and_a_note_holding_one_keeps_it() -> None:
    for markdown in ('[x](https://x.example){:target="_blank"}', "<b>{:target=_blank}</b>)"):
        html = notes.render_notes(markdown)
        assert notes._MARK not in html and notes._NO_TARGET not in html
    # a note that holds the mark's character itself is rendered by the reference, intact
    html = notes.render_notes(f'a {notes._MARK} b [x](https://x.example){{:target="_blank"}}')
    assert f"a {notes._MARK} b" in html and 'target="_blank"' in html


def bio_texts(markdown: str) -> tuple[str | None, str | None]:
    """A bio as ``jsonld_common.markdown_to_text`` reads it, with each engine."""
    from markdown_it import MarkdownIt

    def text(rendered: str) -> str | None:
        return jsonld_common._tidy(html.unescape(nh3.clean(rendered, tags=set()))) or None

    reference = text(MarkdownIt("commonmark").render(markdown))
    return reference, text(jsonld_common._markdown().render(markdown))


def test_every_real_bio_reads_the_same() -> None:
    """People's bios (the JSON-LD's descriptions) are rendered by the fast engine where it is
    installed; every real one gives the reference's text."""
    from markdown_it_pyrs import MarkdownIt as Fast

    assert isinstance(jsonld_common._markdown(), Fast)
    files = sorted((ROOT / "people").glob("*.md"))
    if CORPUS.is_dir():
        files += sorted((CORPUS / "people").glob("*.md*"))
    bios = [parse(path.read_text(encoding="utf-8")).body for path in files]
    assert sum("](" in bio for bio in bios) >= 2  # links, which the text keeps as words
    for bio in bios:
        reference, fast = bio_texts(bio)
        assert fast == reference
        assert jsonld_common.markdown_to_text(bio) == reference


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(LINE, st.just("")), max_size=8).map("\n".join))
def test_generated_bios_read_the_same(markdown: str) -> None:
    reference, fast = bio_texts(markdown)
    assert fast == reference
