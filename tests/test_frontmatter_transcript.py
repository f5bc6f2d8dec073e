"""The transcript is read by PyYAML like every other field: same values, types and lines.

A transcript is most of an episode file; whatever the loader makes of it is what every format
publishes. Each test compares the loader's front matter with PyYAML's own reading of the same
text (``yaml.load`` with the safe loader) and checks the line numbers it keeps against the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedgen_pod.load import frontmatter

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def front_matter(path: Path) -> str | None:
    """The YAML of an episode file, as the loader sees it, or None without front matter."""
    text, _ = frontmatter.strip_controls(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    try:
        return frontmatter.split(text)[0]
    except frontmatter.FrontMatterError:
        return None


def typed(value: object) -> object:
    """``value`` with the type of every scalar beside it (``1 == True``, ``"1" != 1``)."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def item_lines(yaml_text: str, first_line: int) -> dict[str, int]:
    """``transcript.N`` and ``transcript.N.key`` → line, from the text alone: each item of a
    block list starts a line with ``- key:``, each further key a line with ``key:``."""
    lines: dict[str, int] = {}
    rows = yaml_text.split("\n")
    start = rows.index("transcript:")
    index, indent = -1, None
    for number, row in enumerate(rows[start + 1 :], start=start + 1 + first_line):
        stripped = row.lstrip(" ")
        if row and not row.startswith((" ", "-")):
            break  # the next top-level key
        if indent is None and stripped.startswith("- "):
            indent = len(row) - len(stripped)
        if stripped.startswith("- ") and len(row) - len(stripped) == indent:
            index += 1
            lines[f"transcript.{index}"] = number
            stripped = stripped[2:]
            key_indent = indent + 2
        else:
            key_indent = len(row) - len(stripped)
        key, colon, _ = stripped.partition(":")
        if colon and key_indent == indent + 2 and key.isidentifier():
            lines[f"transcript.{index}.{key}"] = number
    return lines


def test_every_real_transcript_reads_as_pyyaml_reads_it(corpus: Path) -> None:
    read = 0
    for path in sorted((corpus / "episodes").glob("*.md")):
        text = front_matter(path)
        if text is None:
            continue
        data, lines, _ = frontmatter.load_yaml(text, 2)
        assert typed(data) == typed(yaml.load(text, Loader=SafeLoader)), path.name
        if isinstance(data.get("transcript"), list):
            got = {k: v for k, v in lines.items() if k.startswith("transcript.")}
            assert got == item_lines(text, 2), path.name
            read += 1
    assert read >= 10, f"transcripts read: {read}"


def test_a_real_transcript_keeps_its_whole_seconds_as_numbers(corpus: Path) -> None:
    text = front_matter(corpus / "episodes" / "cloud-data-governance.md")
    assert text is not None
    data, lines, _ = frontmatter.load_yaml(text, 2)
    secs = [item["sec"] for item in data["transcript"] if "sec" in item]
    assert secs and all(type(s) is int for s in secs)
    first = text.split("\n").index("transcript:") + 3  # 1-based, after the opening ``---``
    assert lines["transcript"] == first - 1
    assert lines["transcript.0"] == first


#: values that read as something other than text, or that need quoting, in YAML
TRICKY = st.sampled_from(
    [
        "yes", "No", "on", "null", "~", "", " ", "1:11", "0:33", "12", "-3", "0x1F", "1.5",
        "2024-01-02", "- item", "# note", "a: b", "a #b", "end:", "'quoted'", '"dq"', "It''s",
        "it's", "[x]", "{y}", "&anchor", "*alias", "!tag", "|", ">", "%", "@", "`", "?", "-",
        "—dash", "“curly”", "line\nbreak", "two  spaces", "trailing ", "\u00e9t\u00e9", "=",
        "<<", "tab\there", "back\\slash", "\u2028", "x" * 90,
    ]
)  # fmt: skip
WORDS = st.lists(
    st.one_of(TRICKY, st.text(alphabet="abcXYZ019 .,:;'\"#-!?—’", min_size=1, max_size=12)),
    min_size=1,
    max_size=30,
).map(" ".join)
VALUES = st.one_of(WORDS, TRICKY, st.integers(-5, 10_000), st.none(), st.booleans())
ITEMS = st.lists(
    st.dictionaries(st.sampled_from(["line", "who", "sec", "time", "header"]), VALUES, min_size=1),
    min_size=1,
    max_size=8,
)


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as people write them by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=ITEMS,
    width=st.integers(20, 120),
    unicode=st.booleans(),
    indented=st.booleans(),
    after=st.booleans(),
    style=st.sampled_from([None, "'", '"']),
)
def test_generated_transcripts_read_as_pyyaml_reads_them(
    items, width, unicode, indented, after, style
) -> None:
    dumped = yaml.dump(
        {"transcript": items},
        Dumper=_IndentedDumper if indented else yaml.SafeDumper,
        width=width,
        allow_unicode=unicode,
        default_style=style,
        sort_keys=False,
    )
    text = "title: Episode\n" + dumped + ("duration: PT1H\n" if after else "")
    data, lines, warnings = frontmatter.load_yaml(text, 2)
    assert typed(data) == typed(yaml.load(text, Loader=SafeLoader))
    assert data["transcript"] == items
    assert not warnings
    # ``- key:`` lines in the plain style only (keys are quoted otherwise); YAML also breaks
    # lines at NEL and the Unicode separators, which the scan below does not
    if style is None and not any(c in text for c in "\x85\u2028\u2029"):
        got = {k: v for k, v in lines.items() if k.startswith("transcript.")}
        assert got == item_lines(text, 2)


@pytest.mark.parametrize(
    "body",
    [
        "- line: a\n\n  who: b\n",  # a blank line between keys
        "- line: a\n\n    b\n",  # a blank line inside a plain value folds to a newline
        "- line: 'a\n\n    b'\n",  # ... and inside a quoted one
        "- line: a  \n    b   \n  who: c  \n",  # trailing spaces
        "- line: a # comment\n",
        "# comment\n- line: a\n",
        "- line: a\n# comment\n- line: b\n",
        "- line: a\n  who:\n    - nested\n",
        "- line: a\n  who:\n    key: nested\n",
        "- line: a\n   who: b\n",  # odd indentation
        "- line: 'it''s\n    ''quoted'''\n",
        '- line: "a\n    b"\n',
        "- line: a\n    - b\n",
        "- line: a\n    #b\n",
        "- 'quoted key': a\n",
        "- yes: a\n",
        "- line: !!str 12\n",
        "- plain item\n",
        "-\n  line: a\n",
        "  - line: a\n    who: b\n",
        "- line: a\nnext: 1\n",
        "- line: a\n  who: b\nnext:\n  - 1\n",
    ],
)
def test_hand_written_shapes_read_as_pyyaml_reads_them(body: str) -> None:
    text = "title: t\ntranscript:\n" + body
    try:
        expected = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError:
        with pytest.raises(frontmatter.FrontMatterError):
            frontmatter.load_yaml(text, 2)
        return
    data, lines, _ = frontmatter.load_yaml(text, 2)
    assert typed(data) == typed(expected)
    # the first item's line: where its value starts (after ``-`` and comments)
    rows = [row.strip(" -") for row in text.split("\n")]
    first = next(i for i, row in enumerate(rows) if i > 1 and row and not row.startswith("#"))
    assert lines["transcript.0"] == first + 2


@pytest.mark.parametrize(
    ("body", "line", "phrase"),
    [
        ("- line: 'open\n", 5, "found unexpected end of stream"),
        ("- line: 'a' b'\n", 4, "did not find expected key"),
        ('- line: "open\n', 5, "found unexpected end of stream"),
        ("- line: a\n    b: c\n", 5, "mapping values are not allowed"),
    ],
)
def test_a_broken_transcript_names_the_line(body: str, line: int, phrase: str) -> None:
    with pytest.raises(frontmatter.FrontMatterError) as caught:
        frontmatter.load_yaml("title: t\ntranscript:\n" + body, 2)
    assert phrase in caught.value.message
    assert caught.value.line == line


def test_a_duplicate_key_in_a_transcript_entry_is_warned_with_its_line() -> None:
    text = "title: t\ntranscript:\n- line: a\n  line: b\n"
    data, _, warnings = frontmatter.load_yaml(text, 2)
    assert data["transcript"] == [{"line": "b"}]
    assert warnings == [(5, "transcript.0.line", "duplicate key: the last value wins; remove one")]


def test_a_transcript_key_inside_a_quoted_value_is_not_taken_for_the_list() -> None:
    text = "title: 'a\ntranscript:\n- line: x\n  b'\nother: 1\n"
    data, _, _ = frontmatter.load_yaml(text, 2)
    assert data == {"title": "a transcript: - line: x b", "other": 1}
