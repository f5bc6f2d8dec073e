"""Cutting a spoken line into caption-sized pieces, and wrapping a piece into caption lines.

Captions are read, not listened to: a cue holds at most ``max_lines`` lines of
``max_line_length`` characters. A long line is cut at sentence ends first, then at clause
marks, and only then between words, so each cue reads as a unit. Pieces are ranges of word
indices into ``text.split()``, so no word is ever lost or altered, and aligned word times
(when there are any) map straight onto pieces.

>>> from feedgen_pod.model import TranscriptSettings
>>> wrap("Hi everyone, welcome to our event. This event is presented by a club.",
...      TranscriptSettings())
'Hi everyone, welcome to our event.\\nThis event is presented by a club.'
"""

from __future__ import annotations

import bisect
import math
import re
from itertools import pairwise

from .model import TranscriptSettings

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
    # greedy_lines, stopping as soon as a line too many starts (called on long spans a lot)
    width, count, current = settings.max_line_length, 0, 0
    for word in words:
        if current and current + 1 + len(word) <= width:
            current += 1 + len(word)
        else:
            if current:
                count += 1
                if count >= settings.max_lines:
                    return False
            current = len(word)
    return True


def wrap(text: str, settings: TranscriptSettings) -> str:
    """The text as at most ``max_lines`` lines of similar length (no blank lines ever)."""
    words = text.split()
    joined = " ".join(words)
    if len(joined) <= settings.max_line_length:
        return joined
    width = max(1, math.ceil(len(joined) / settings.max_lines))
    while width < settings.max_line_length:
        lines = greedy_lines(words, width)
        if len(lines) <= settings.max_lines:
            return "\n".join(lines)
        width += 1
    return "\n".join(greedy_lines(words, settings.max_line_length))


def split_words(text: str, settings: TranscriptSettings) -> list[tuple[int, int]]:
    """Cut ``text.split()`` into word ranges ``(first, end)`` that each fit one cue."""
    words = text.split()
    if not words:
        return []
    return _split(_Words(words, settings), 0, len(words), 0, settings)


class _Words:
    """The words of one line with prefix sums of their lengths: whether a range fits one cue
    is then known from its joined length alone in nearly every case (``fits`` is called on
    overlapping ranges many times per line)."""

    __slots__ = ("cum", "one_line", "too_long", "words")

    def __init__(self, words: list[str], settings: TranscriptSettings):
        self.words = words
        cum = [0]
        total = 0
        for word in words:
            total += len(word)
            cum.append(total)
        self.cum = cum
        self.one_line = settings.max_line_length
        # max_lines full lines and the spaces between them: anything longer cannot fit
        # (unless a word wider than a line makes a line of its own longer than that)
        self.too_long = settings.max_lines * (settings.max_line_length + 1) - 1
        if any(len(word) > self.one_line for word in words):
            self.too_long = total + len(words)

    def length(self, a: int, b: int) -> int:
        """``len(" ".join(words[a:b]))``."""
        return self.cum[b] - self.cum[a] + (b - a - 1) if b > a else 0

    def fits(self, a: int, b: int, settings: TranscriptSettings) -> bool:
        if b - a <= 1:
            return True
        joined = self.cum[b] - self.cum[a] + (b - a - 1)
        if joined <= self.one_line:
            return True
        if joined > self.too_long:
            return False
        return fits(self.words[a:b], settings)


def _boundaries(w: _Words, start: int, end: int, level: int) -> list[int]:
    """Word indices where a new piece may start: after a sentence end, or a clause mark."""
    pattern = SENTENCE_END if level == 0 else _CLAUSE_END
    words = w.words
    cuts = []
    for k in range(start + 1, end):
        if pattern.search(words[k - 1]) or (level == 1 and words[k] in _DASH):
            cuts.append(k)
    return cuts


def _split(
    w: _Words, start: int, end: int, level: int, settings: TranscriptSettings
) -> list[tuple[int, int]]:
    if w.fits(start, end, settings):
        return [(start, end)]
    if level >= 2:
        return _split_evenly(w, start, end, settings)
    cuts = _boundaries(w, start, end, level)
    if not cuts:
        return _split(w, start, end, level + 1, settings)
    pieces: list[tuple[int, int]] = []
    edges = [start, *cuts, end]
    for a, b in pairwise(edges):
        split = _split(w, a, b, level + 1, settings)
        # a whole segment joins the piece before it when both fit; a cut one starts afresh
        if len(split) == 1 and pieces and w.fits(pieces[-1][0], b, settings):
            pieces[-1] = (pieces[-1][0], b)
        else:
            pieces.extend(split)
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
    lengths = [len(word) + 1 for word in w.words[start:end]]
    total = sum(lengths)
    cumulative = [0]
    for n in lengths:
        cumulative.append(cumulative[-1] + n)
    count = len(lengths)
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
