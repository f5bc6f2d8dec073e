"""The caption text helpers: blank lines dropped, white space squeezed, clocks in ms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from feedgen_pod.formats.caption_text import caption_lines, cue_clocks, one_line
from feedgen_pod.model import Cue

#: words and every kind of white space, and blank lines
PARTS = ["ab", "c", " ", "  ", "\n", "\n\n", "\t", "\xa0", "\u2028", "\x00", "\r", " \n ", "é", "—"]
TEXTS = st.lists(st.sampled_from(PARTS), max_size=10).map("".join)
CUES = st.lists(TEXTS.map(lambda text: Cue(1.0, 2.0, text)), max_size=12)


@given(CUES)
def test_caption_lines_drop_blank_lines_and_keep_the_rest(cues: list[Cue]) -> None:
    lines = caption_lines(cues)
    assert len(lines) == len(cues)
    for text, cue in zip(lines, cues):
        assert all(line.strip() for line in text.split("\n")) or text == ""
        assert text.split() == cue.text.split()  # no word lost, none added


@given(CUES)
def test_one_line_squeezes_white_space(cues: list[Cue]) -> None:
    for text, cue in zip(one_line(cues), cues):
        assert text.split() == cue.text.split()
        assert (
            text == text.strip()
            and "  " not in text
            and not any(c.isspace() and c != " " for c in text)
        )


def test_usual_cues_come_back_as_they_are() -> None:
    cues = [Cue(0.0, 1.0, "Hello there,\nfriend."), Cue(1.0, 2.0, "Bye.")]
    assert caption_lines(cues) == ["Hello there,\nfriend.", "Bye."]
    assert one_line(cues) == ["Hello there, friend.", "Bye."]
    assert caption_lines([]) == one_line([]) == []
    assert caption_lines([Cue(0.0, 1.0, "a\n \n\nb\n")]) == ["a\nb"]
    assert one_line([Cue(0.0, 1.0, " a \n b\tc ")]) == ["a b c"]


@given(CUES)
def test_a_format_fix_applies_to_each_cue_alone(cues: list[Cue]) -> None:
    def fix(text: str) -> str:
        return text.replace("a", "<a>").replace("c", "")

    assert caption_lines(cues, fix) == [fix(text) for text in caption_lines(cues)]


def test_clocks_in_milliseconds() -> None:
    clocks = cue_clocks((Cue(0.0, 1.5, "a"), Cue(1.5, 3.2505, "b"), Cue(-1.0, 3723.0, "c")))
    assert clocks.starts_ms == [0, 1500, 0] and clocks.ends_ms == [1500, 3250, 3723000]
    assert clocks.starts == ["00:00:00.000", "00:00:01.500", "00:00:00.000"]
    assert clocks.ends == ["00:00:01.500", "00:00:03.250", "01:02:03.000"]
