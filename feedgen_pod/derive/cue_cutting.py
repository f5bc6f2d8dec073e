"""Cutting a spoken line into caption-sized pieces, and wrapping a piece into caption lines.

Captions are read, not listened to: a cue holds at most ``max_lines`` lines of
``max_line_length`` characters. A long line is cut at sentence ends first, then at clause
marks, and only then between words, so each cue reads as a unit. Pieces are ranges of word
indices into ``text.split()``, so no word is ever lost or altered, and aligned word times
(when there are any) map straight onto pieces.

>>> from feedgen_pod.model import TranscriptSettings
>>> cut("Hi everyone, welcome to our event. This event is presented by a club.",
...     TranscriptSettings())
[(0, 13, 'Hi everyone, welcome to our event.\\nThis event is presented by a club.')]
"""

from __future__ import annotations

import bisect
import math
import re
from itertools import accumulate, pairwise

from ..model import TranscriptSettings

SENTENCE_END = re.compile(r"[.!?…]['\"”’)\]]*$")
_CLAUSE_END = re.compile(r"([,;:]['\"”’)\]]*|[—–])$")
_DASH = {"-", "--", "—", "–"}


def greedy_lines(words: list[str], width: int) -> list[str]:
    """Fill lines word by word; a word longer than ``width`` gets a line of its own."""
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fits(words: list[str], settings: TranscriptSettings) -> bool:
    """True when the words wrap into ``max_lines`` lines (a single word always fits)."""
    if len(words) <= 1:
        return True
    return (
        _greedy(_ends(words), 0, len(words), settings.max_line_length, settings.max_lines)[0]
        is not None
    )


def cut(text: str, settings: TranscriptSettings) -> list[tuple[int, int, str]]:
    """``text`` cut into pieces that each fit one cue: each piece's range of word indices
    into ``text.split()`` and its text wrapped into at most ``max_lines`` lines of similar
    length (no blank lines ever)."""
    words = text.split()
    if not words:
        return []
    ends = _ends(words)
    if ends[-1] - 1 <= settings.max_line_length:
        return [(0, len(words), " ".join(words))]
    ranges = _split(_Words(words, settings, ends), 0, len(words), 0, settings)
    return [(a, b, _wrap_range(words, ends, a, b, settings)) for a, b in ranges]


def _wrap_range(
    words: list[str], ends: list[int], a: int, b: int, settings: TranscriptSettings
) -> str:
    """The narrowest width whose greedy fill of ``words[a:b]`` gives at most ``max_lines``
    lines, else greedy lines of the full width.

    Widths are not tried one by one: greedy lines stay the same until the width lets some
    line take its next word, so the search jumps straight to that width.
    """
    size = ends[b] - ends[a] - 1
    longest = settings.max_line_length
    if size <= longest:
        return " ".join(words[a:b])
    width = max(1, math.ceil(size / settings.max_lines))
    if settings.max_lines == 2 and width < longest:
        return _two_lines(words, ends, a, b, width, longest)
    while width < longest:
        lines, width = _greedy(ends, a, b, width, settings.max_lines)
        if lines is not None:
            return "\n".join(" ".join(words[i:j]) for i, j in lines)
    return "\n".join(greedy_lines(words[a:b], longest))


def _two_lines(words: list[str], ends: list[int], a: int, b: int, width: int, longest: int) -> str:
    """``_wrap_range`` for two lines (the default), found directly: at the starting width
    the first line ends at word ``j``; the narrowest width that works is the smaller of the
    one that lets the rest fit beside it and the one that lets the first line take one more
    word (the rest is then shorter than half)."""
    j = _line_end(ends, a, b, width)
    if j < b:
        width = max(width, min(ends[b] - ends[j] - 1, ends[j + 1] - ends[a] - 1))
        if width >= longest:
            return "\n".join(greedy_lines(words[a:b], longest))
        j = _line_end(ends, a, b, width)
    if j >= b:
        return " ".join(words[a:b])
    return " ".join(words[a:j]) + "\n" + " ".join(words[j:b])


def _line_end(ends: list[int], a: int, b: int, width: int) -> int:
    """Where a greedy line of ``width`` starting at word ``a`` ends (before ``b``): the last
    word whose joined length still fits, or the first word alone when it is wider."""
    j = bisect.bisect_right(ends, ends[a] + width + 1, a + 1, b + 1) - 1
    return j if j > a else a + 1


def _ends(words: list[str]) -> list[int]:
    """``ends[j] - ends[a] - 1`` is ``len(" ".join(words[a:j]))``: each word's length plus
    one space, summed; line lengths then come from two lookups and fills from a bisection."""
    return list(accumulate(map(_PLUS_ONE, map(len, words)), initial=0))


_PLUS_ONE = (1).__add__


def _greedy(
    ends: list[int], a: int, b: int, width: int, max_lines: int
) -> tuple[list[tuple[int, int]] | None, int]:
    """Greedy lines of ``width`` over words ``a:b`` as ranges (None when more than
    ``max_lines``), and the next width at which any of those lines would change."""
    lines: list[tuple[int, int]] = []
    grow = math.inf
    while a < b:
        if len(lines) == max_lines:
            return None, int(grow)
        j = _line_end(ends, a, b, width)
        if j < b:
            grow = min(grow, ends[j + 1] - ends[a] - 1)
        lines.append((a, j))
        a = j
    return lines, int(grow) if grow != math.inf else width + 1


#: last characters of words that can end a sentence / a clause (the patterns need them)
_SENTENCE_TAIL = frozenset(".!?…'\"”’)]")
_CLAUSE_TAIL = frozenset(",;:'\"”’)]—–")


class _Words:
    """The words of one line with prefix sums of their lengths: whether a range fits one cue
    is then known from its joined length alone in nearly every case, and otherwise from a
    few bisections (``fits`` is called on overlapping ranges many times per line)."""

    __slots__ = ("cuts", "ends", "max_lines", "one_line", "too_long", "words")

    def __init__(
        self, words: list[str], settings: TranscriptSettings, ends: list[int] | None = None
    ):
        self.words = words
        self.ends = ends = _ends(words) if ends is None else ends
        self.one_line = settings.max_line_length
        self.max_lines = settings.max_lines
        # max_lines full lines and the spaces between them: anything longer cannot fit
        # (unless a word wider than a line makes a line of its own longer than that)
        self.too_long = settings.max_lines * (settings.max_line_length + 1) - 1
        if max(map(len, words)) > self.one_line:
            self.too_long = ends[-1]
        self.cuts: dict[int, list[int]] = {}

    def length(self, a: int, b: int) -> int:
        """``len(" ".join(words[a:b]))``."""
        return self.ends[b] - self.ends[a] - 1 if b > a else 0

    def fits(self, a: int, b: int, settings: TranscriptSettings) -> bool:
        if b - a <= 1:
            return True
        joined = self.ends[b] - self.ends[a] - 1
        if joined <= self.one_line:
            return True
        if joined > self.too_long:
            return False
        if self.max_lines == 2:  # the default: the rest after a full first line fits one
            ends = self.ends
            j = _line_end(ends, a, b, self.one_line)
            return b - j <= 1 or ends[b] - ends[j] - 1 <= self.one_line
        return _greedy(self.ends, a, b, self.one_line, self.max_lines)[0] is not None

    def boundaries(self, level: int) -> list[int]:
        """Word indices where a new piece may start: after a sentence end (level 0), or a
        clause mark or before a dash (level 1); found once per line."""
        found = self.cuts.get(level)
        if found is None:
            words = self.words
            if level == 0:
                found = [
                    k
                    for k in range(1, len(words))
                    if words[k - 1][-1] in _SENTENCE_TAIL and SENTENCE_END.search(words[k - 1])
                ]
            else:
                found = [
                    k
                    for k in range(1, len(words))
                    if (words[k - 1][-1] in _CLAUSE_TAIL and _CLAUSE_END.search(words[k - 1]))
                    or words[k] in _DASH
                ]
            self.cuts[level] = found
        return found


def _boundaries(w: _Words, start: int, end: int, level: int) -> list[int]:
    """The cuts of ``level`` strictly inside ``start:end``."""
    cuts = w.boundaries(level)
    return cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]


def _split(
    w: _Words, start: int, end: int, level: int, settings: TranscriptSettings
) -> list[tuple[int, int]]:
    if w.fits(start, end, settings):
        return [(start, end)]
    return _split_unfit(w, start, end, level, settings)


def _split_unfit(
    w: _Words, start: int, end: int, level: int, settings: TranscriptSettings
) -> list[tuple[int, int]]:
    """``_split`` of a range known not to fit one cue."""
    while level < 2:
        cuts = _boundaries(w, start, end, level)
        if cuts:
            break
        level += 1
    else:
        return _split_evenly(w, start, end, settings)
    pieces: list[tuple[int, int]] = []
    fits = w.fits
    for a, b in pairwise([start, *cuts, end]):
        if not fits(a, b, settings):  # a cut segment: its pieces stand on their own
            pieces.extend(_split_unfit(w, a, b, level + 1, settings))
        elif pieces and fits(pieces[-1][0], b, settings):  # a whole one joins the piece before
            pieces[-1] = (pieces[-1][0], b)
        else:
            pieces.append((a, b))
    if level == 1 and _has_stub(w, pieces, settings):
        even = _split_evenly(w, start, end, settings)
        if len(even) <= len(pieces):
            return even
    return pieces


def _has_stub(w: _Words, pieces: list[tuple[int, int]], settings: TranscriptSettings) -> bool:
    """True when a clause cut leaves a piece too short to read as a caption of its own."""
    shortest = min(w.length(a, b) for a, b in pieces)
    return shortest < settings.max_cue_chars // 4


def _split_evenly(
    w: _Words, start: int, end: int, settings: TranscriptSettings
) -> list[tuple[int, int]]:
    """Cut between words into pieces of similar length, so no cue is a lone trailing word."""
    base = w.ends[start]
    cumulative = [e - base for e in w.ends[start : end + 1]]
    total = cumulative[-1]
    count = end - start
    first = max(2, math.ceil(total / settings.max_cue_chars))
    # a few more parts than the minimum always fit, unless one word is wider than a cue:
    # bounded tries keep a 20,000-word line linear-ish (each try is parts * log(count))
    for parts in range(first, min(count, first + _EVEN_TRIES) + 1):
        cuts, previous = [], 0
        for j in range(1, parts):
            target = total * j / parts
            k = bisect.bisect_left(cumulative, target, previous + 1, count)
            if k >= count and previous + 1 >= count:
                break
            k = min(max(k, previous + 1), count - 1)
            if k - 1 > previous and abs(cumulative[k - 1] - target) <= abs(cumulative[k] - target):
                k -= 1
            cuts.append(k)
            previous = k
        edges = [0, *cuts, count]
        pieces = [(start + a, start + b) for a, b in pairwise(edges) if b > a]
        if all(w.fits(a, b, settings) for a, b in pieces):
            return pieces
    return _split_greedy(w, start, end, settings)


#: how many piece counts ``_split_evenly`` tries before packing greedily
_EVEN_TRIES = 20


def _split_greedy(
    w: _Words, start: int, end: int, settings: TranscriptSettings
) -> list[tuple[int, int]]:
    """Pack words into pieces that fit; a word wider than a cue gets a piece of its own."""
    pieces: list[tuple[int, int]] = []
    a = start
    for k in range(start + 1, end + 1):
        if k == end or not w.fits(a, k + 1, settings):
            pieces.append((a, k))
            a = k
    return pieces
