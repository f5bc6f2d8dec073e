"""The C transcript list reader gives exactly what the Python reference gives, or steps aside.

``feedgen_pod.load._listfast`` is built at install when a C compiler is there (CI requires it,
see ``.ci/run``); ``listblock._read`` is the reference. For every body the C reader either
returns the reference's items (values and their types), line numbers and end, or None, and
then the reference reads the body. Both are compared on every corpus transcript, on hand-made
shapes at the edges of what the reader accepts, and on generated lists: PyYAML's own output in
every scalar style, and lines put together from the pieces that change how a list reads.
(``test_listblock`` compares the whole reader, this one included, with PyYAML.)
"""

from __future__ import annotations

import pytest
import yaml
from conftest import CORPUS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.load import frontmatter, listblock

fast = pytest.importorskip(
    "feedgen_pod.load._listfast", reason="the C list reader was not built (no C compiler)"
)


def reference(body: str, first: int = 3):
    try:
        return listblock._read(body, first)
    except listblock._Unsure:
        return "unsure"


def c_reader(body: str, first: int = 3):
    try:
        return fast.read(body, first, listblock._typed, listblock._LEADS)
    except listblock._Unsure:
        return "unsure"


def typed(result):
    """The result with each value's type beside it (``1 == True``, ``"1" != 1``)."""
    if not isinstance(result, tuple):
        return result
    items, lines, end = result
    return [[(k, v, type(v)) for k, v in item.items()] for item in items], lines, end


def assert_same_or_aside(body: str, first: int = 3) -> bool:
    """The C reader agrees with the reference or leaves the body to it; True when it read it."""
    got = c_reader(body, first)
    if got is None:  # the reference decides
        return False
    assert typed(got) == typed(reference(body, first)), body
    return got != "unsure"


def transcript_body(path) -> str | None:
    text, _ = frontmatter.strip_controls(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    try:
        yaml_text = frontmatter.split(text)[0]
    except frontmatter.FrontMatterError:
        return None
    start = yaml_text.find("\ntranscript:")
    if start < 0:
        return None
    return yaml_text[yaml_text.index("\n", start + 1) + 1 :] + "\n"


def test_every_real_transcript_reads_as_the_reference() -> None:
    files = sorted((ROOT / "episodes").glob("*.md"))
    if CORPUS.is_dir():
        files += sorted((CORPUS / "episodes").glob("*.md*"))
    read = referenced = 0
    for path in files:
        body = transcript_body(path)
        if body is None:
            continue
        read += assert_same_or_aside(body)
        referenced += reference(body) != "unsure"
    # it reads everything the reference reads on the real archive
    assert read == referenced >= 10


@pytest.mark.parametrize(
    "body",
    [
        "- line: a\n  who: b\n  sec: 12\n  time: '0:12'\n- header: Intro\n",
        "- line: a\n\n  who: b\n",
        "- line: a\n\n    b\n",
        "- line: a  \n    b   \n  who: c  \n",
        "- line: 'it''s\n    ''quoted'''\n",
        "- line: '''a'' b'\n- line: 'a''\n    ''b'\n",
        "- line: 'a' b'\n",
        "- line: 'it's'\n",
        '- line: "a\n    b"\n- line: "x\\\\y"\n- line: ""\n- line: \'\'\n',
        "- line: a\n    - b\n- line: c\n    -b\n- line: d\n    ?\n",
        "- line: a\n    # b\n- line: c\n    #d\n",
        "- line: a\n    b: c\n- line: d:\n    e\n",
        "- line: a:\n- line: a #b\n- line: a#b\n",
        *(
            f"- line: a\n  sec: {value}\n- line: b\n    {value}\n"
            for value in ["0", "00", "012", "-3", "+4", "1:11", "1_000", "9" * 30, "0x1F"]
        ),
        *(
            f"- who: {value}\n- line: b\n    {value}\n"
            for value in ["yes", "Yesterday", "~", "null", "Null Island", "1.5", ".5", "1e3"]
        ),
        *(f"- who: {value}\n" for value in ["2024-01-02", "=", "<<", "True", "off", "Offer"]),
        "- yes: a\n- true: b\n- time2: c\n",
        "- line:\n- line:   \n  who:\n",
        "- line:\n    nested\n",
        "- line: a\n  line: b\n",
        "- line: a\n   who: b\n",
        "- line:a\n",
        "- line-x: a\n",
        "  - line: a\n    who: b\n  - line: c\n",
        "  - line: a\n      more\n     less\n",
        "- line: a\nnext: 1\n",
        "- line: a\n\n\n",
        "- line: a\n  \n  \n- line: b\n",
        "- line: a\n # c\n",
        "- line: a\n- b\n",
        "-\n  line: a\n",
        "- line: \u00e9t\u00e9 \U0001f600\n    \u4e2d\u6587 'x'\n- who: \u0130\n",
        "- line: a" + " word" * 400 + "\n",
        "- header: Intro\n- header:\n- line: ''\n- line: '  '\n",
    ],
)
def test_hand_made_shapes_read_as_the_reference(body: str) -> None:
    assert_same_or_aside(body)


def test_the_usual_shape_is_read_in_c() -> None:
    body = "- line: 'It''s a\n    long one'\n  who: Ann\n  sec: 71\n- header: Next\n"
    got = fast.read(body, 5, listblock._typed, listblock._LEADS)
    assert got == (
        [{"line": "It's a long one", "who": "Ann", "sec": 71}, {"header": "Next"}],
        {"0": 5, "0.line": 5, "0.who": 7, "0.sec": 8, "1": 9, "1.header": 9},
        len(body),
    )


#: scalars in every style PyYAML writes
VALUES = st.one_of(
    st.text(alphabet="aZ09 .,:;'\"#-!?—’\u00e9\\", max_size=40),
    st.sampled_from(["yes", "~", "0:33", "1:11", "012", "-", "a: b", "x #y", "end:", ""]),
    st.integers(-5, 10_000),
    st.none(),
    st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(
    items=st.lists(
        st.dictionaries(st.sampled_from(["line", "who", "sec", "time", "header"]), VALUES),
        min_size=1,
        max_size=6,
    ),
    width=st.integers(10, 100),
    style=st.sampled_from([None, "'", '"']),
    unicode=st.booleans(),
)
def test_dumped_lists_read_as_the_reference(items, width, style, unicode) -> None:
    dumped = yaml.dump(
        items, width=width, default_style=style, allow_unicode=unicode, sort_keys=False
    )
    assert_same_or_aside(dumped)


#: the pieces of a line that decide how a list reads: indentation, dashes, keys, values,
#: quotes, comments, colons and blank lines
PIECES = st.sampled_from(
    ["- ", "  ", "    ", " ", "line: ", "who:", "sec: ", "yes: ", "a", "b c", "12", "0",
     "'", "''", '"', "#", " #", ": ", ":", "-", "?", "~", "\n", "\n\n", "é", "x_1: "]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40).map("".join), st.integers(0, 99))
def test_pieced_lines_read_as_the_reference(text: str, first: int) -> None:
    assert_same_or_aside("- " + text + "\n", first)
