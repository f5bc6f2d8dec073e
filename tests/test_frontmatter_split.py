"""Splitting a file into front matter and body, and finding control characters, the fast way.

``frontmatter.split`` looks only at lines that start with ``---`` and ``has_controls`` asks
``str.isprintable`` before searching; both are held here to the plain definitions: the first
line after the opening one that is ``---`` (trailing white space allowed) closes the YAML, and
a control character is one ``CONTROL`` matches.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.load import field_base, frontmatter


def by_lines(text: str):
    """The split by its definition, line by line (errors as tuples)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("---\n") and text.rstrip() != "---":
        return ("no front matter", 1)
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return ("not closed", len(lines))


def split(text: str):
    try:
        return frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        return ("no front matter" if "no front matter" in exc.message else "not closed", exc.line)


PIECES = st.sampled_from(
    ["---", "--- ", "---x", "----", "\n", "\r", "\r\n", "a: 1", " ", "\t", "\x85", "\u2028", "-"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=16).map("".join))
def test_split_is_the_first_closing_line(text: str) -> None:
    assert split(text) == by_lines(text)


def test_every_real_file_splits_by_the_definition() -> None:
    files = sorted((ROOT / "episodes").glob("*.md"))
    assert len(files) >= 2  # the project's own episodes, everywhere
    if CORPUS.is_dir():  # and the whole archive where it is there
        files += sorted(CORPUS.glob("*/*.md*"))
        assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert split(text) == by_lines(text), path.name


@pytest.mark.parametrize("pattern", [frontmatter.CONTROL, field_base.CONTROL])
def test_every_control_character_is_unprintable(pattern) -> None:
    """What lets ``isprintable`` stand in for the search."""
    controls = [chr(c) for c in range(0x110000) if pattern.match(chr(c))]
    assert len(controls) > 30
    assert not any(c.isprintable() for c in controls)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from("a\n\t\x00\x1f\x7f\x84\x85\x9f\xa0\ufffe\uffff\u2028é")))
def test_controls_are_found_as_the_expression_finds_them(text: str) -> None:
    assert frontmatter.has_controls(text) == (frontmatter.CONTROL.search(text) is not None)
    assert field_base.clean_text(text) == field_base.CONTROL.sub("", field_base.clean_text(text))
    assert field_base.CONTROL.search(field_base.clean_text(text)) is None
