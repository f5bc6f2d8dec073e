"""Time the edited transcript by the raw captions: edited words and speakers, caption times.

The edited transcript has one time per paragraph (coarse, sometimes missing or backwards); the
raw captions have a time every few seconds but unedited words. Aligning the words
(``word_alignment``) gives each edited word the time of the caption word it matches; words in
between are interpolated; long passages with no match keep the paragraph times. A caption
file that does not belong to the transcript (unrelated or shuffled) is refused with a Problem
rather than turned into confident nonsense times.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from ..errors import Problem, Severity, display_path
from ..model import Episode, RawCaption, TranscriptEntry, TranscriptLine, reading_time
from .word_alignment import (
    align_sequences,
    increasing_chain,
    keep_supported,
    tokenise,
    unique_kgram_matches,
)

#: an unmatched run of at most this many edited words is interpolated between its neighbours
MAX_GAP_WORDS = 40
#: below this share of edited words matching a caption word, the captions are not this episode's
MIN_MATCHED = 0.3
#: below this share of whole-text anchors in order, the captions are shuffled
MIN_ORDER = 0.6
#: above this share of matched words going back in time, the caption times are shuffled
MAX_BACKWARDS = 0.05
#: speech rate used to extrapolate before the first and after the last matched word
CHARS_PER_SECOND = 15.0
#: the longest a caption word may be stretched when the next caption comes late
MAX_WORD_SECONDS = 1.5


@dataclass(frozen=True)
class AlignStats:
    """How well a transcript matched its captions; shifts are from the paragraph times."""

    words: int
    #: edited words with a matching caption word
    matched: int
    #: matched words plus words interpolated between close matches
    aligned: int
    anchors: int
    #: share of whole-text anchors that are in order (1.0 for a true pair)
    order: float
    median_shift: float
    p90_shift: float
    #: median signed shift: a large one means the captions' clock is offset from the file's
    offset: float = 0.0

    @property
    def share(self) -> float:
        return self.aligned / self.words if self.words else 0.0

    @property
    def matched_share(self) -> float:
        return self.matched / self.words if self.words else 0.0

    def describe(self) -> str:
        return (
            f"{self.share:.0%} of {self.words} words aligned ({self.matched_share:.0%} matched); "
            f"shift from paragraph times: median {self.median_shift:.1f}s, "
            f"p90 {self.p90_shift:.1f}s"
            + (f", median offset {self.offset:+.1f}s" if abs(self.offset) >= 1 else "")
        )


@dataclass(frozen=True)
class Alignment:
    """Per transcript line, one time per word of ``line.text.split()``."""

    word_times: tuple[tuple[float, ...], ...]
    stats: AlignStats
    #: per line and word, the index of the matched caption, or -1 when interpolated
    caption_index: tuple[tuple[int, ...], ...] = ()


def caption_word_times(captions: Sequence[RawCaption]) -> list[float]:
    """A time for every word of the captions: spread over the caption, until the next starts."""
    times: list[float] = []
    for index, caption in enumerate(captions):
        words = caption.text.split()
        if not words:
            continue
        nxt = captions[index + 1].start if index + 1 < len(captions) else None
        span = len(words) * MAX_WORD_SECONDS
        if nxt is not None and nxt > caption.start:
            span = min(span, nxt - caption.start)
        total = sum(len(w) + 1 for w in words)
        before = 0
        for word in words:
            times.append(caption.start + span * before / total)
            before += len(word) + 1
    return times


def paragraph_times(lines: Sequence[TranscriptLine]) -> list[list[float]]:
    """The guess without captions: words spread over a paragraph in proportion to their text."""
    result: list[list[float]] = []
    for index, line in enumerate(lines):
        words = line.text.split()
        end = line.start + reading_time(line.text)
        if index + 1 < len(lines) and lines[index + 1].start > line.start:
            end = lines[index + 1].start
        total = sum(len(w) + 1 for w in words) or 1
        before = 0
        times = []
        for word in words:
            times.append(line.start + (end - line.start) * before / total)
            before += len(word) + 1
        result.append(times)
    return result


def align_transcript(
    lines: Sequence[TranscriptLine],
    captions: Sequence[RawCaption],
    where: str,
    problems: list[Problem],
    line: int | None = None,
) -> Alignment | None:
    """Word times for the lines from the captions; None (and a Problem) when they do not fit."""
    words = [w for line in lines for w in line.text.split()]
    cap_words = [w for c in captions for w in c.text.split()]
    cap_owner = [i for i, c in enumerate(captions) for _ in c.text.split()]
    if not words or not cap_words:
        problems.append(_refusal(where, line, "the transcript or the captions have no words"))
        return None
    a, a_owner = tokenise(words)
    b, b_owner = tokenise(cap_words)
    cap_times = caption_word_times(captions)
    order, anchors = _order(a, b)
    pairs = keep_supported(align_sequences(a, b))
    match: dict[int, int] = {}
    for i, j in pairs:
        match.setdefault(a_owner[i], b_owner[j])
    matched_share = len(match) / len(words)
    if anchors >= 20 and order < MIN_ORDER:
        problems.append(
            _refusal(where, line, f"only {order:.0%} of the shared phrases are in the same order")
        )
        return None
    if matched_share < MIN_MATCHED:
        problems.append(
            _refusal(where, line, f"only {matched_share:.0%} of the transcript's words are in them")
        )
        return None
    matched_times = [cap_times[match[w]] for w in sorted(match)]
    backwards = sum(1 for x, y in pairwise(matched_times) if y < x - 1.0)
    if backwards > MAX_BACKWARDS * len(matched_times):
        problems.append(_refusal(where, line, "their times go backwards; are they shuffled?"))
        return None

    prop = [t for row in paragraph_times(lines) for t in row]
    times, aligned = _word_times(words, match, cap_times, prop)
    shifts = sorted(abs(t - p) for t, p in zip(times, prop))
    stats = AlignStats(
        words=len(words),
        matched=len(match),
        aligned=aligned,
        anchors=anchors,
        order=order,
        median_shift=statistics.median(shifts),
        p90_shift=shifts[min(len(shifts) - 1, int(0.9 * len(shifts)))],
        offset=statistics.median(t - p for t, p in zip(times, prop)),
    )
    per_line: list[tuple[float, ...]] = []
    per_caption: list[tuple[int, ...]] = []
    pos = 0
    for entry in lines:  # not ``line``: that is the caller's line for a refusal
        n = len(entry.text.split())
        per_line.append(tuple(times[pos : pos + n]))
        per_caption.append(
            tuple(cap_owner[match[w]] if w in match else -1 for w in range(pos, pos + n))
        )
        pos += n
    return Alignment(tuple(per_line), stats, tuple(per_caption))


def _order(a: list[str], b: list[str]) -> tuple[float, int]:
    """Share of the whole-text unique 4-gram anchors that lie on one increasing chain."""
    ids: dict[str, int] = {}
    found = unique_kgram_matches(
        [ids.setdefault(t, len(ids)) for t in a], [ids.setdefault(t, len(ids)) for t in b], 4
    )
    if not found:
        return 0.0, 0
    return len(increasing_chain(found)) / len(found), len(found)


def _word_times(
    words: list[str], match: dict[int, int], cap_times: list[float], prop: list[float]
) -> tuple[list[float], int]:
    """A time for every edited word, and how many of them count as aligned."""
    chars = [0]
    for word in words:
        chars.append(chars[-1] + len(word) + 1)
    times = [0.0] * len(words)
    latest = 0.0
    for w in sorted(match):  # monotonic even if a caption time stepped back a little
        latest = max(latest, cap_times[match[w]])
        times[w] = latest
    aligned = len(match)
    w = 0
    while w < len(words):
        if w in match:
            w += 1
            continue
        start = w
        while w < len(words) and w not in match:
            w += 1
        prev, nxt = start - 1, w  # matched neighbours, if in range
        short = w - start <= MAX_GAP_WORDS
        aligned += (w - start) if short else 0
        for x in range(start, w):
            times[x] = _gap_time(x, prev, nxt, len(words), chars, times, prop, short)
    for x in range(1, len(times)):  # paragraph times can go back; word times never do
        times[x] = max(times[x], times[x - 1])
    return times, aligned


def _gap_time(
    x: int,
    prev: int,
    nxt: int,
    n: int,
    chars: list[int],
    times: list[float],
    prop: list[float],
    short: bool,
) -> float:
    has_prev, has_next = prev >= 0, nxt < n
    if has_prev and has_next:
        t_p, t_n = times[prev], times[nxt]
        if not short and t_p <= prop[x] <= t_n:
            return prop[x]
        return t_p + (t_n - t_p) * (chars[x] - chars[prev]) / (chars[nxt] - chars[prev])
    if has_next:  # before the first match
        if short:
            return max(0.0, times[nxt] - (chars[nxt] - chars[x]) / CHARS_PER_SECOND)
        return max(0.0, min(times[nxt], prop[x]))
    if has_prev:  # after the last match
        if short:
            return times[prev] + (chars[x] - chars[prev]) / CHARS_PER_SECOND
        return max(times[prev], prop[x])
    return prop[x]


def _refusal(where: str, line: int | None, why: str) -> Problem:
    return Problem(
        where,
        line,
        "captions",
        f"not aligned: {why}",
        Severity.WARNING,
        kind="captions-not-aligned",
    )


def retime_lines(
    transcript: Sequence[TranscriptEntry], alignment: Alignment
) -> tuple[TranscriptEntry, ...]:
    """The transcript with each line starting at its first word's aligned time."""
    out: list[TranscriptEntry] = []
    index = 0
    for entry in transcript:
        if isinstance(entry, TranscriptLine):
            times = alignment.word_times[index]
            index += 1
            if times:
                entry = replace(entry, start=round(times[0], 3), timed=True)
        out.append(entry)
    return tuple(out)


@dataclass(frozen=True)
class AlignedTranscript:
    """A transcript retimed by its captions, with the word times the cue builder takes."""

    transcript: tuple[TranscriptEntry, ...]
    #: per spoken line (``Episode.lines``): the times of its words
    word_times: tuple[tuple[float, ...], ...]
    stats: AlignStats


def align_entries(
    transcript: Sequence[TranscriptEntry],
    captions: Sequence[RawCaption],
    where: str,
    problems: list[Problem],
    line: int | None = None,
) -> AlignedTranscript | None:
    """Align, retime every line to its first word, and report the result as a Problem.

    Good alignments are reported as information, poor ones (under 90% aligned) as a warning.
    """
    lines = [e for e in transcript if isinstance(e, TranscriptLine)]
    alignment = align_transcript(lines, captions, where, problems, line)
    if alignment is None:
        return None
    stats = alignment.stats
    severity = Severity.INFO if stats.share >= 0.9 else Severity.WARNING
    problems.append(
        Problem(
            where,
            line,
            "captions",
            f"aligned: {stats.describe()}",
            severity,
            kind="captions-aligned",
        )
    )
    return AlignedTranscript(retime_lines(transcript, alignment), alignment.word_times, stats)


def align_episode(
    episode: Episode, problems: list[Problem]
) -> tuple[Episode, tuple[tuple[float, ...], ...] | None]:
    """The episode retimed by its ``captions`` (if any), and the word times of its lines."""
    if episode.captions is None or not episode.lines:
        return episode, None
    aligned = align_entries(
        episode.transcript,
        episode.captions.captions,
        display_path(episode.source),
        problems,
        episode.line_of("captions"),
    )
    if aligned is None:
        return episode, None
    return replace(episode, transcript=aligned.transcript), aligned.word_times
