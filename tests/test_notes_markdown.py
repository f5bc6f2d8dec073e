"""Show notes and bios through markdown-it-py, with Kramdown attribute lists read by one rule:
a list is never shown, and a link's ``target="_blank"`` is kept when its list stands right
after the link (``docs/notes-and-markdown.md``). Checked on every real note and bio, on
hand-picked cases with their exact HTML, and on generated note-like documents."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.formats import jsonld_common, notes
from feedgen_pod.load.frontmatter import parse

BASE = "https://example.org/episodes/e1.html"
#: a link written with a target list: ``[text](url){:target="_blank"}`` or an autolink
_TARGETED = re.compile(r"""[)>]\{:\s*target\s*=\s*(["']?)_blank\1\s*\}""")
#: the text of code, where an attribute list is the writer's own text
_CODE = re.compile(r"<(code|pre)>.*?</\1>", re.S)


def bodies(folder: str) -> list[str]:
    files = sorted((ROOT / folder).glob("*.md"))
    if CORPUS.is_dir():
        files += sorted((CORPUS / folder).glob("*.md*"))
    return [parse(path.read_text(encoding="utf-8")).body for path in files]


def test_every_real_body_keeps_its_targets_and_shows_no_list() -> None:
    found = 0
    for body in bodies("episodes"):
        rendered = notes.render_notes(body, BASE)
        assert "{:" not in _CODE.sub("", rendered)
        assert rendered.count('target="_blank"') == len(_TARGETED.findall(body))
        found += len(_TARGETED.findall(body))
    assert found >= 2


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            '* [Site](https://a.example){:target="_blank"}\n* <https://b.example>{:target="_blank"}',
            '<ul>\n<li><a href="https://a.example" target="_blank" rel="noopener noreferrer">'
            'Site</a></li>\n<li><a href="https://b.example" target="_blank" '
            'rel="noopener noreferrer">https://b.example</a></li>\n</ul>',
        ),
        (
            '[a *b* `c`](https://x.example "T"){:target="_blank"} and [d](https://z.example)',
            '<p><a href="https://x.example" title="T" target="_blank" rel="noopener noreferrer">'
            'a <em>b</em> <code>c</code></a> and <a href="https://z.example" '
            'rel="noopener noreferrer">d</a></p>',
        ),
        (  # unquoted, with spaces; single quotes
            "[e](https://e.example){: target=_blank } [f](https://f.example){:target='_blank'}",
            '<p><a href="https://e.example" target="_blank" rel="noopener noreferrer">e</a> '
            '<a href="https://f.example" target="_blank" rel="noopener noreferrer">f</a></p>',
        ),
        (  # another target, a class, an id, an unclosed quote: hidden, nothing kept
            '[g](https://g.example){:target="_self"} [h](/people/h.html){:.note #id} '
            '[i](https://i.example){:x="}',
            '<p><a href="https://g.example" rel="noopener noreferrer">g</a> '
            '<a href="https://example.org/people/h.html" rel="noopener noreferrer">h</a> '
            '<a href="https://i.example" rel="noopener noreferrer">i</a></p>',
        ),
        (  # a list after a space is not the link's: hidden, no target
            '[j](https://j.example) {:target="_blank"} text',
            '<p><a href="https://j.example" rel="noopener noreferrer">j</a> text</p>',
        ),
        (  # a line of lists alone ends the paragraph above it (Kramdown's block list)
            "First\n{: .notice--info}\nSecond\n\n{:.para}\n",
            "<p>First</p>\n<p>Second</p>",
        ),
        (  # a list starting a line, and one in a table cell
            '{:.x} text\n\n| a |\n|---|\n| [x](https://x.example){:target="_blank"} |',
            "<p>text</p>\n\n\n\na\n\n\n\n\n"  # the sanitiser keeps no table tags
            '<a href="https://x.example" target="_blank" rel="noopener noreferrer">x</a>',
        ),
        (  # raw HTML keeps no list either
            '<div>\n[k](https://k.example){:target="_blank"} {: .x}\n</div>',
            "[k](https://k.example)",  # the sanitiser keeps no div
        ),
        (  # code keeps its text as written
            '`{:target="_blank"}`\n\n```\n{: .x}\n```',
            '<p><code>{:target="_blank"}</code></p>\n<pre><code>{: .x}\n</code></pre>',
        ),
        (  # no link where the address is refused: the text stays as written, list and all
            '[bad](javascript:alert(2)){:target="_blank"}',
            "<p>[bad](javascript:alert(2))</p>",
        ),
        ("<script>alert(1)</script>[x](https://x.example)", ""),
    ],
)
def test_hand_picked_notes(markdown: str, expected: str) -> None:
    rendered = notes.render_notes(markdown, BASE)
    if expected:
        assert rendered == expected
    else:
        assert "script" not in rendered and "alert" not in rendered


#: words and links as real notes have them
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


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(LINE, st.just(""), st.just("{: .note}")), max_size=12).map("\n".join))
def test_generated_notes_show_no_list_and_keep_each_target(markdown: str) -> None:
    rendered = notes.render_notes(markdown, BASE)
    assert "{" not in _CODE.sub("", rendered)
    # every link of the generator to cy or dee has a target list; no other link does
    for anchor in re.findall(r"<a [^>]*>", rendered):
        targeted = '"https://cy.example"' in anchor or '"https://dee.example"' in anchor
        assert ('target="_blank"' in anchor) == targeted, anchor
    # the same notes with the lists cut out of the source give the same words and links (a
    # list's line can end a paragraph or a list, as in Kramdown, where a cut leaves none; a
    # raw HTML block goes on to the next blank line, the list's line within it)
    if re.search(r"(?m)^<br>", markdown):
        return
    plain = notes.render_notes(re.sub(r"[ \t]*\{:[^}\n]*\}", "", markdown), BASE)
    assert _words(plain) == _words(rendered)
    assert re.findall(r"<a [^>]*>", plain) == [
        a.replace(' target="_blank"', "") for a in re.findall(r"<a [^>]*>", rendered)
    ]


def _words(rendered: str) -> list[str]:
    return re.sub(r"<[^>]*>", " ", rendered).split()


def test_every_real_bio_reads_as_its_words() -> None:
    """People's bios (the JSON-LD's descriptions) as plain text: links keep their words."""
    found = 0
    for bio in bodies("people"):
        text = jsonld_common.markdown_to_text(bio)
        if "](" in bio:
            found += 1
            assert text is not None and "](" not in text and "<" not in text
    if CORPUS.is_dir():  # the archive's bios have links; the project's own may not
        assert found >= 2
    assert jsonld_common.markdown_to_text("I work at [Acme](https://acme.example).\n\nHi") == (
        "I work at Acme. Hi"
    )
