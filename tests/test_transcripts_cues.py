"""The cue builder: timing rules on small cases, and properties for any list of lines.

Property tests throw arbitrary lines at it (times in any order, duplicates, empty lines, text
with ``<``, ``&``, ``-->``, newlines and any Unicode) and check what every consumer needs:
cues move forward, never overlap, keep every word, and survive each format's parser.
"""

from __future__ import annotations

import json
from itertools import pairwise

import jsonschema
import pytest
import srt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transcript_rules import SEGMENT_SCHEMA, check_vtt, words_of

from feedgen_pod.derive.cue_cutting import cut
from feedgen_pod.derive.cue_timing import build_cues, caption_cues
from feedgen_pod.formats import transcript_json, transcript_srt, transcript_vtt
from feedgen_pod.model import (
    RawCaption,
    SectionHeader,
    TranscriptLine,
    TranscriptSettings,
    reading_time,
)

DEFAULT = TranscriptSettings()


def line(text: str, start: float, speaker: str | None = "Ann") -> TranscriptLine:
    return TranscriptLine(text, speaker, start)


def assert_sound(cues, source_words, settings=DEFAULT):
    """What every caption consumer needs, for any input."""
    assert words_of(c.text for c in cues) == source_words
    for cue in cues:
        assert 0 <= cue.start < cue.end
        assert round(cue.start * 1000) == pytest.approx(cue.start * 1000, abs=1e-6)
        lines = cue.text.split("\n")
        assert 1 <= len(lines) <= settings.max_lines
        assert all(ln.strip() for ln in lines)
    for before, after in pairwise(cues):
        assert after.start == before.end


# --- timing rules ----------------------------------------------------------------------------


def test_cue_ends_where_the_next_starts_and_last_at_duration():
    cues = build_cues([line("One.", 0), line("Two.", 5), line("Three.", 9)], 20.0)
    assert [(c.start, c.end) for c in cues] == [(0, 5), (5, 9), (9, 20)]


def test_last_cue_without_duration_ends_after_its_reading_time():
    text = "a few words that take a while to say out loud"
    cues = build_cues([line("One.", 0), line(text, 5)], None)
    assert cues[-1].end == pytest.approx(5 + reading_time(text))


def test_last_cue_does_not_stay_through_a_long_outro():
    cues = build_cues([line("Bye.", 10)], 3600.0)
    assert cues[-1].end == pytest.approx(10 + reading_time("Bye.") + 60)


def test_lines_sharing_a_time_are_spread_in_proportion_to_text():
    short, long = "Hi.", "A much longer line of text that takes more time to say."
    cues = build_cues([line(short, 0), line(long, 0), line("Next.", 60)], 70.0)
    assert cues[0].start == 0 and cues[2].start == 60
    assert 0 < cues[1].start < 10  # the short line gets a small share of the minute
    assert cues[1].start == pytest.approx(60 * len(short) / (len(short) + len(long)), abs=0.01)


def test_time_going_backwards_is_spread_not_kept():
    cues = build_cues([line("a", 0), line("b", 10), line("c", 5), line("d", 20)], 30.0)
    starts = [c.start for c in cues]
    assert starts[:2] == [0, 10] and starts[3] == 20
    assert 10 < starts[2] < 20


def test_one_wild_time_does_not_squash_the_rest():
    cues = build_cues([line("a", 0), line("b", 5000), line("c", 20), line("d", 30)], 60.0)
    assert [c.start for c in cues][2:] == [20, 30]


def test_headers_and_empty_lines_are_not_cues():
    entries = [SectionHeader("Intro"), line("  \n ", 0), line("Hello.", 1)]
    cues = build_cues(entries, 5.0)
    assert [c.text for c in cues] == ["Hello."]


def test_long_line_is_cut_at_sentences_and_timed_by_text():
    first = "This is the first sentence and it is long enough to fill a cue."
    second = "Here is a second one, also quite long, to need a cue of its own."
    cues = build_cues([line(f"{first} {second}", 0), line("Next.", 100)], 110.0)
    assert [c.text.replace("\n", " ") for c in cues[:2]] == [first, second]
    assert cues[1].start == pytest.approx(100 * (len(first) + 1) / len(f"{first} {second}"), 0.01)


def test_word_times_time_each_piece_from_its_first_word():
    first = "This is the first sentence and it is long enough to fill a cue."
    second = "Here is a second one, also quite long, to need a cue of its own."
    text = f"{first} {second}"
    times = [float(i) for i in range(len(text.split()))]
    cues = build_cues([line(text, 0), line("Next.", 100)], 110.0, DEFAULT, [times, None])
    assert cues[1].start == len(first.split())


def test_word_times_of_the_wrong_length_are_ignored():
    text = "One sentence here that is long enough. And a second sentence that also is long."
    plain = build_cues([line(text, 0)], 50.0, TranscriptSettings(20, 2))
    aligned = build_cues([line(text, 0)], 50.0, TranscriptSettings(20, 2), [[1.0, 2.0]])
    assert plain == aligned


def test_wrap_balances_two_lines_within_the_limit():
    text = "Tomorrow we have a pre-course Q&A for our machine learning engineering course."
    ((_, _, wrapped),) = cut(text, DEFAULT)
    lines = wrapped.split("\n")
    assert len(lines) == 2 and all(len(ln) <= 42 for ln in lines)
    assert abs(len(lines[0]) - len(lines[1])) < 12


def test_a_word_longer_than_a_cue_is_kept_whole():
    word = "x" * 200
    pieces = [(a, b) for a, b, _ in cut(f"a {word} b", DEFAULT)]
    assert pieces == [(0, 1), (1, 2), (2, 3)] or all(b - a >= 1 for a, b in pieces)
    assert words_of(c.text for c in build_cues([line(f"a {word} b", 0)], 9.0)) == ["a", word, "b"]


# --- raw captions ----------------------------------------------------------------------------


def test_raw_captions_merge_into_readable_cues():
    fragments = [
        RawCaption(0, "hi everyone welcome to", 1),
        RawCaption(2, "our event this event is", 2),
        RawCaption(4, "brought to you by", 3),
        RawCaption(6, "data talks club", 4),
        RawCaption(20, "after a long pause", 5),
    ]
    cues = caption_cues(fragments, None)
    assert cues[0].start == 0 and len(cues) == 2
    assert cues[1].start == 20  # a pause starts a new cue
    assert cues[1].end == pytest.approx(20 + reading_time("after a long pause"))
    assert words_of(c.text for c in cues) == words_of(f.text for f in fragments)


def test_raw_captions_out_of_order_are_reported_with_their_line():
    problems: list = []
    fragments = [RawCaption(10, "one", 1), RawCaption(5, "two", 2), RawCaption(12, "three", 3)]
    cues = caption_cues(fragments, None, DEFAULT, problems)
    assert [p.line for p in problems] == [2]
    assert "goes back" in problems[0].message and not problems[0].is_error
    assert_sound(cues, ["one", "two", "three"])


# --- properties ------------------------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            ["<", "&", "-->", "&amp;", "<v x>", "word", "Q&A.", "\n", "\n\n", "日本語"]
        ),
        max_size=40,
    ).map(" ".join),
)
times = st.one_of(
    st.floats(min_value=0, max_value=10_000, allow_nan=False),
    st.sampled_from([0.0, 1.0, 1.0, 60.0]),
)
speakers = st.sampled_from([None, "Ann", "Bob & <Co>", "  Al  Gore ", "Zoë"])
lines_st = st.lists(st.builds(TranscriptLine, texts, speakers, times), max_size=25)
settings_st = st.builds(
    TranscriptSettings, st.integers(min_value=8, max_value=80), st.integers(1, 3)
)
durations = st.one_of(st.none(), st.floats(min_value=0.001, max_value=20_000, allow_nan=False))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines_st, durations, settings_st)
def test_any_lines_make_sound_cues(lines, duration, cue_settings):
    cues = build_cues(lines, duration, cue_settings)
    assert_sound(cues, words_of(ln.text for ln in lines), cue_settings)


@settings(max_examples=100, deadline=None)
@given(lines_st, durations, st.randoms(use_true_random=False))
def test_any_word_times_make_sound_cues(lines, duration, rnd):
    word_times = [
        None if rnd.random() < 0.2 else [rnd.uniform(0, 9000) for _ in ln.text.split()]
        for ln in lines
    ]
    cues = build_cues(lines, duration, DEFAULT, word_times)
    assert_sound(cues, words_of(ln.text for ln in lines))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.builds(RawCaption, times, texts), max_size=40), durations)
def test_any_raw_captions_make_sound_cues(fragments, duration):
    cues = caption_cues(fragments, duration, DEFAULT, [])
    assert_sound(cues, words_of(f.text for f in fragments))


@settings(max_examples=100, deadline=None)
@given(lines_st, durations)
def test_any_lines_survive_every_format(lines, duration):
    cues = build_cues(lines, duration)
    words = words_of(ln.text for ln in lines)
    if not cues:
        return
    parsed = check_vtt(transcript_vtt.render(cues))
    assert len(parsed) == len(cues)
    assert words_of(c.text for c in parsed) == words
    assert [c.voice for c in parsed] == [
        " ".join(c.speaker.split()) or None if c.speaker else None for c in cues
    ]
    subs = list(srt.parse(transcript_srt.render(cues).decode("utf-8")))
    assert len(subs) == len(cues)
    assert all(s.start < s.end for s in subs)
    document = json.loads(transcript_json.render(cues))
    jsonschema.validate(document, SEGMENT_SCHEMA)
    assert words_of(s["body"] for s in document["segments"]) == words


def test_a_caption_fragment_longer_than_a_cue_is_spread_up_to_the_next_stamp() -> None:
    from feedgen_pod.model import RawCaption, TranscriptSettings

    fragments = [
        RawCaption(0.0, "okay everyone welcome to our event this"),
        RawCaption(2.0, "event is brought to you by the club"),
    ]
    cues = caption_cues(fragments, None, TranscriptSettings(max_line_length=20, max_lines=1))
    assert len(cues) >= 4
    assert all(c.end - c.start >= 0.5 for c in cues), cues  # no millisecond flashes
    assert [c.start for c in cues if c.text.startswith("event")] == [2.0]  # stamps kept


# The splitter's fast paths (bisection over length sums, width jumps, cuts found once per
# line) must give exactly what the plain definitions give: greedy filling word by word, and
# every width tried in turn.


def plain_greedy(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def plain_wrap(words: list[str], cue_settings: TranscriptSettings) -> str:
    joined = " ".join(words)
    if len(joined) <= cue_settings.max_line_length:
        return joined
    for width in range(-(-len(joined) // cue_settings.max_lines), cue_settings.max_line_length):
        lines = plain_greedy(words, max(1, width))
        if len(lines) <= cue_settings.max_lines:
            return "\n".join(lines)
    return "\n".join(plain_greedy(words, cue_settings.max_line_length))


word_lists = st.lists(
    st.text(st.sampled_from("abcdefghij.,;:!?'—-"), min_size=1, max_size=25), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(word_lists, settings_st)
def test_each_piece_is_the_narrowest_greedy_fill(words, cue_settings):
    for a, b, wrapped in cut(" ".join(words), cue_settings):
        assert wrapped == plain_wrap(words[a:b], cue_settings)


@settings(max_examples=300, deadline=None)
@given(word_lists, settings_st)
def test_every_piece_fits_and_ranges_follow_on(words, cue_settings):
    from feedgen_pod.derive.cue_cutting import _Words

    text = " ".join(words)
    pieces = [(a, b) for a, b, _ in cut(text, cue_settings)]
    if not words:
        assert pieces == []
        return
    assert [a for a, _ in pieces] == [0, *[b for _, b in pieces[:-1]]]
    assert pieces[-1][1] == len(words)
    w = _Words(words, cue_settings) if len(words) > 1 else None
    for a, b in pieces:
        plain = len(plain_greedy(words[a:b], cue_settings.max_line_length))
        assert (plain <= cue_settings.max_lines or b - a == 1) is True
    if w is not None:  # the bisecting fit test agrees with greedy filling on every range
        for a in range(len(words)):
            for b in range(a + 1, len(words) + 1):
                plain = len(plain_greedy(words[a:b], cue_settings.max_line_length))
                assert w.fits(a, b, cue_settings) == (plain <= cue_settings.max_lines or b - a == 1)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(st.sampled_from("ab.!?…'\"”’)],;:—–-"), min_size=1, max_size=6), max_size=30),
    st.sampled_from([0, 1]),
)
def test_cuts_found_in_the_text_are_the_cuts_of_each_word(words, level):
    """Places a piece may start (after a sentence end; after a clause mark or before a dash),
    found by one scan of the line, are those the per-word patterns give."""
    from feedgen_pod.derive.cue_cutting import _CLAUSE_END, _DASH, SENTENCE_END, _Words

    if level == 0:
        plain = [k for k in range(1, len(words)) if SENTENCE_END.search(words[k - 1])]
    else:
        plain = [
            k for k in range(1, len(words)) if _CLAUSE_END.search(words[k - 1]) or words[k] in _DASH
        ]
    assert (_Words(words, DEFAULT).boundaries(level) if words else []) == plain


@settings(max_examples=300, deadline=None)
@given(word_lists, settings_st)
def test_fits_is_greedy_filling_within_the_line_limit(words, cue_settings):
    from feedgen_pod.derive.cue_cutting import fits

    plain = len(plain_greedy(words, cue_settings.max_line_length))
    assert fits(words, cue_settings) == (len(words) <= 1 or plain <= cue_settings.max_lines)
