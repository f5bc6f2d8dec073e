"""The all-cues-at-once text helpers give what working cue by cue gives, for any texts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from feedgen_pod.formats.caption_text import caption_lines, cue_clocks, one_line
from feedgen_pod.model import Cue

#: words and every kind of white space, the separator the helpers join with, and blank lines
PARTS = ["ab", "c", " ", "  ", "\n", "\n\n", "\t", "\xa0", "\u2028", "\x00", "\r", " \n ", "é", "—"]
TEXTS = st.lists(st.sampled_from(PARTS), max_size=10).map("".join)
CUES = st.lists(TEXTS.map(lambda text: Cue(1.0, 2.0, text)), max_size=12)


@given(CUES)
def test_caption_lines_drop_blank_lines_and_keep_the_rest(cues: list[Cue]) -> None:
    expected = ["\n".join(line for line in cue.text.split("\n") if line.strip()) for cue in cues]
    assert caption_lines(cues) == expected


@given(CUES)
def test_one_line_squeezes_white_space_cue_by_cue(cues: list[Cue]) -> None:
    assert one_line(cues) == [" ".join(cue.text.split()) for cue in cues]


def test_usual_cues_come_back_as_they_are() -> None:
    cues = [Cue(0.0, 1.0, "Hello there,\nfriend."), Cue(1.0, 2.0, "Bye.")]
    assert caption_lines(cues) == ["Hello there,\nfriend.", "Bye."]
    assert one_line(cues) == ["Hello there, friend.", "Bye."]
    assert caption_lines([]) == one_line([]) == []


@given(CUES)
def test_a_format_fix_applies_to_each_cue_alone(cues: list[Cue]) -> None:
    def fix(text: str) -> str:
        return text.replace("a", "<a>").replace("c", "")

    assert caption_lines(cues, fix) == [fix(text) for text in caption_lines(cues)]


def test_per_episode_work_is_shared_only_for_the_same_cue_tuple() -> None:
    """VTT, SRT and JSON of one episode share one computation of the clocks; another tuple,
    or a list changed in place, is worked out afresh."""
    first = (Cue(0.0, 1.5, "a"), Cue(1.5, 3.25, "b"))
    assert cue_clocks(first) is cue_clocks(first)
    assert cue_clocks(first).ends == ["00:00:01.500", "00:00:03.250"]
    other = (Cue(0.0, 2.0, "a"),)
    assert cue_clocks(other).starts_ms == [0] and cue_clocks(other).ends_ms == [2000]
    cues = [Cue(0.0, 1.0, "one two")]
    assert one_line(cues) == ["one two"]
    cues.append(Cue(1.0, 2.0, "three"))
    assert one_line(cues) == ["one two", "three"]
