"""The direct transcript reader gives exactly what PyYAML gives, or steps aside.

``listblock`` reads the usual shape of a transcript without PyYAML; a difference would change
what every format publishes, so each test compares the front matter read both ways (values,
their types, field lines, warnings and repairs) on real files and on generated lists.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedgen_pod.load import frontmatter, listblock


def both_ways(yaml_text: str):
    """(fast, general) results of reading ``yaml_text``; errors compared as values."""
    out = []
    for fast in (True, False):
        errors: list[tuple[int, str]] = []
        try:
            result = frontmatter._load(yaml_text, 2, errors, fast=fast)
        except frontmatter.FrontMatterError as exc:
            result = ("error", exc.message, exc.line)
        out.append((result, errors))
    return out


def front_matter(path: Path) -> str | None:
    text, _ = frontmatter.strip_controls(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    try:
        return frontmatter.split(text)[0]
    except frontmatter.FrontMatterError:
        return None


def test_every_real_file_reads_the_same_both_ways(corpus: Path, seeds: Path) -> None:
    files = [*sorted((corpus / "episodes").glob("*.md")), *sorted(seeds.glob("*.md"))]
    direct = 0
    for path in files:
        text = front_matter(path)
        if text is None:
            continue
        fast, general = both_ways(text)
        assert fast == general, path.name
        direct += listblock.cut(text, "transcript") is not None
    # the reader must actually be used on the real archive, not step aside everywhere
    assert direct >= len(files) * 3 // 4, f"read directly: {direct} of {len(files)}"


def test_a_real_transcript_keeps_its_values_lines_and_types(corpus: Path) -> None:
    text = front_matter(corpus / "episodes" / "cloud-data-governance.md")
    assert text is not None
    block = listblock.cut(text, "transcript")
    assert block is not None
    data, lines, _ = frontmatter._load(text, 2, [], fast=False)
    assert block.items == data["transcript"]
    assert {f"transcript.{k}": v + 2 for k, v in block.lines.items()} == {
        k: v for k, v in lines.items() if k.startswith("transcript.")
    }
    assert any(isinstance(item.get("sec"), int) for item in block.items)
    # every other line keeps its number, so YAML errors and fields elsewhere point right
    assert block.text.count("\n") == text.count("\n")


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
def test_generated_transcripts_read_the_same_both_ways(
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
    fast, general = both_ways(text)
    assert fast == general


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
        "- line: a\n  line: b\n",  # duplicate key: warned about by the general path
        "- line: a\n   who: b\n",  # odd indentation
        "- line: 'it''s\n    ''quoted'''\n",
        "- line: 'open\n",
        "- line: 'a' b'\n",  # not one quoted value: YAML refuses it
        "- line: 'it's'\n",
        '- line: "open\n',
        '- line: "a\n    b"\n',
        "- line: a\n    - b\n",
        "- line: a\n    b: c\n",
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
def test_hand_written_shapes_read_the_same_both_ways(body: str) -> None:
    fast, general = both_ways("title: t\ntranscript:\n" + body)
    assert fast == general


def test_a_transcript_key_inside_a_quoted_value_is_not_taken_for_the_list() -> None:
    text = "title: 'a\ntranscript:\n- line: x\n  b'\nother: 1\n"
    fast, general = both_ways(text)
    assert fast == general
    assert fast[0][0]["title"] == "a transcript: - line: x b"
