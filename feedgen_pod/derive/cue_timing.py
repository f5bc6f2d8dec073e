"""Caption cues from transcript lines or raw captions: the timing every caption format shares.

The real files are not cue lists: a line has a start only, several lines share one start,
times go backwards, and a line can run to 200 words. The rules, applied here once so that
VTT, SRT, JSON and HTML agree to the millisecond:

* A cue starts at its line's time and ends where the next cue starts; the last one ends at
  the episode's duration (at most a minute past its reading time, so a long outro does not
  keep a caption on screen), or after its reading time when the duration is unknown.
* The times kept as given are the longest run of lines whose times never go back. Every other
  line (one that shares the time of the line before, or breaks the order) is spread, with its
  neighbours, across the interval between the kept times, in proportion to the text.
* A long line is cut (see ``cue_cutting``) and its pieces are timed in proportion to their text,
  or from the aligner's word times when given.
* Everything is computed in whole milliseconds, the unit of every caption format, and every
  cue lasts at least one: no zero-length, overlapping or backwards cue survives rounding.

Out-of-order times in transcripts are reported by the loader; here only raw captions are.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from itertools import pairwise

from ..errors import Problem, Severity, display_path
from ..model import (
    Cue,
    Episode,
    RawCaption,
    RawCaptions,
    Show,
    TranscriptEntry,
    TranscriptLine,
    TranscriptSettings,
    reading_time,
)
from .cue_cutting import SENTENCE_END, cut, fits

#: the longest a last cue may outlast its reading time before the episode ends
LAST_CUE_SLACK_MS = 60_000
#: a pause longer than this between raw caption fragments starts a new cue
CAPTION_PAUSE = 4.0

DEFAULT_SETTINGS = TranscriptSettings()

WordTimes = Sequence[Sequence[float] | None]


def build_cues(
    lines: Sequence[TranscriptEntry],
    duration: float | None,
    settings: TranscriptSettings = DEFAULT_SETTINGS,
    word_times: WordTimes | None = None,
) -> tuple[Cue, ...]:
    """Cues for the spoken lines (section headers and empty lines are skipped).

    ``word_times[i][k]``, when given, is the start in seconds of word ``k`` of
    ``lines[i].text.split()``; a piece of a split line then starts at its first word.
    """
    spoken = [
        (i, line)
        for i, line in enumerate(lines)
        if isinstance(line, TranscriptLine) and line.text.split()
    ]
    if not spoken:
        return ()
    texts = [" ".join(line.text.split()) for _, line in spoken]
    weights = [len(t) for t in texts]
    starts = _spread([_ms(line.start) for _, line in spoken], weights, texts, duration)
    pieces: list[tuple[int, str, str | None]] = []
    for n, (i, line) in enumerate(spoken):
        begin, end = starts[n], starts[n + 1]
        times = word_times[i] if word_times is not None and i < len(word_times) else None
        pieces.extend(_pieces(texts[n], line.speaker, begin, end, times, settings))
    return _finish(pieces, starts[-1], settings)


def caption_cues(
    captions: RawCaptions | Sequence[RawCaption],
    duration: float | None,
    settings: TranscriptSettings = DEFAULT_SETTINGS,
    problems: list[Problem] | None = None,
) -> tuple[Cue, ...]:
    """Readable cues from raw caption fragments of a few words each.

    Fragments are merged while the result fits one cue, breaking at a sentence end once the
    cue is half full, or at a pause; every word keeps its fragment's time.
    """
    items = captions.captions if isinstance(captions, RawCaptions) else tuple(captions)
    where = display_path(captions.path) if isinstance(captions, RawCaptions) else "<captions>"
    fragments = [c for c in items if c.text.split()]
    if problems is not None:
        problems.extend(_backwards(fragments, where))
    groups: list[list[RawCaption]] = []
    for fragment in fragments:
        if groups and _joins(groups[-1], fragment, settings):
            groups[-1].append(fragment)
        else:
            groups.append([fragment])
    lines = [
        TranscriptLine(" ".join(f.text for f in g), None, g[0].start, True, g[0].source_line)
        for g in groups
    ]
    starts = iter(_word_starts(fragments))
    times = [[next(starts) for f in g for _ in f.text.split()] for g in groups]
    return build_cues(lines, duration, settings, times)


def _word_starts(fragments: list[RawCaption]) -> list[float]:
    """Each word's time: its fragment's stamp, spread by characters up to the next stamp.

    A fragment longer than a cue is cut into pieces; were all its words at the stamp, every
    piece but the first would flash for a millisecond.
    """
    out: list[float] = []
    for n, fragment in enumerate(fragments):
        words = fragment.text.split()
        upto = fragments[n + 1].start if n + 1 < len(fragments) else -math.inf
        if not upto > fragment.start:
            upto = fragment.start + reading_time(fragment.text)
        total = sum(len(w) + 1 for w in words)
        acc = 0
        for word in words:
            out.append(fragment.start + (upto - fragment.start) * acc / total)
            acc += len(word) + 1
    return out


def _joins(group: list[RawCaption], fragment: RawCaption, settings: TranscriptSettings) -> bool:
    words = [w for f in group for w in f.text.split()]
    if not fits([*words, *fragment.text.split()], settings):
        return False
    if fragment.start - group[-1].start > CAPTION_PAUSE:
        return False
    half_full = len(" ".join(words)) >= settings.max_cue_chars // 2
    return not (half_full and SENTENCE_END.search(words[-1]))


def _backwards(fragments: list[RawCaption], where: str) -> list[Problem]:
    """A warning for each caption whose time goes back from the latest before it."""
    found: list[Problem] = []
    latest = -math.inf
    for fragment in fragments:
        if fragment.start < latest:
            found.append(
                Problem(
                    where,
                    fragment.source_line or None,
                    None,
                    f"time {fragment.start:g}s goes back from {latest:g}s; "
                    "cues are spread to keep order",
                    Severity.WARNING,
                    kind="transcript-time-backwards",
                )
            )
        latest = max(latest, fragment.start)
    return found


def _ms(seconds: float) -> int:
    if not math.isfinite(seconds) or seconds < 0:
        return 0
    return round(seconds * 1000)


def _kept(starts: list[int]) -> list[int]:
    """Indices of a longest run of times that never goes back.

    Patience sorting, run backwards so that of two equally long runs the one keeping the
    earlier times wins: the line that jumps back is the one spread, as the loader reports it.
    """
    values = [-t for t in reversed(starts)]
    tails: list[int] = []  # the smallest last value of a run of each length
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(values)
    for i, t in enumerate(values):
        k = bisect.bisect_right(tails, t)
        if k == len(tails):
            tails.append(t)
            tail_index.append(i)
        else:
            tails[k] = t
            tail_index[k] = i
        previous[i] = tail_index[k - 1] if k else -1
    run, i = [], tail_index[-1]
    while i >= 0:
        run.append(len(values) - 1 - i)
        i = previous[i]
    return run


def _spread(
    given: list[int], weights: list[int], texts: list[str], duration: float | None
) -> list[int]:
    """Start of every line, plus the end of the last, strictly increasing, in ms."""
    kept = _kept(given)
    fixed = [i for n, i in enumerate(kept) if n == 0 or given[i] > given[kept[n - 1]]]
    last = fixed[-1]
    said = sum(_ms(reading_time(t)) for t in texts[last:])
    end = given[last] + said
    if duration is not None and _ms(duration) > given[last]:
        end = min(_ms(duration), end + LAST_CUE_SLACK_MS)
    edges = [(i, given[i]) for i in fixed] + [(len(given), end)]
    if fixed[0] != 0:  # lines before the first kept time fill the time from 0 up to it
        if given[fixed[0]] == 0:
            edges[0] = (0, 0)
        else:
            edges.insert(0, (0, 0))
    starts = [0] * (len(given) + 1)
    for (a, t0), (b, t1) in pairwise(edges):
        total = sum(weights[a:b]) or 1
        acc = 0
        for i in range(a, b):
            starts[i] = t0 + (t1 - t0) * acc // total
            acc += weights[i]
    starts[-1] = end
    for i in range(1, len(starts)):
        starts[i] = max(starts[i], starts[i - 1] + 1)
    return starts


def _pieces(
    text: str,
    speaker: str | None,
    begin: int,
    end: int,
    times: Sequence[float] | None,
    settings: TranscriptSettings,
) -> list[tuple[int, str, str | None]]:
    """(start ms, wrapped text, speaker) for each cue-sized piece of one line."""
    pieces = cut(text, settings)
    if len(pieces) == 1:
        return [(begin, pieces[0][2], speaker)]
    if times is not None and len(times) != pieces[-1][1]:
        times = None
    total = len(text) or 1
    out, acc, latest = [], 0, begin
    for a, _, wrapped in pieces:
        if times is not None and a:
            start = min(max(_ms(times[a]), latest), end)
        else:
            start = begin + (end - begin) * acc // total
        latest = max(latest, start)
        out.append((latest, wrapped, speaker))
        acc += len(wrapped) + 1
    return out


def _finish(
    pieces: list[tuple[int, str, str | None]], end: int, settings: TranscriptSettings
) -> tuple[Cue, ...]:
    starts = [p[0] for p in pieces]
    for i in range(1, len(starts)):
        starts[i] = max(starts[i], starts[i - 1] + 1)
    ends = [*starts[1:], max(end, starts[-1] + 1)]
    return tuple(
        Cue(s / 1000, e / 1000, text, speaker)
        for s, e, (_, text, speaker) in zip(starts, ends, pieces)
    )


def episode_cues(show: Show, episode: Episode, problems: list[Problem]) -> tuple[Cue, ...]:
    """An episode's cues: from its transcript, else from its raw captions, else none."""
    if episode.lines:
        return build_cues(episode.lines, episode.duration, show.transcripts)
    if episode.captions:
        return caption_cues(episode.captions, episode.duration, show.transcripts, problems)
    return ()
