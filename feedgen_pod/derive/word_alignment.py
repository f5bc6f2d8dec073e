"""Monotonic alignment of two word sequences, fast enough for an hour of speech a side.

Patience-diff style: k-grams that occur exactly once in both windows are anchors; the longest
increasing subsequence of anchors (by position on the other side) keeps them in order; matches
are extended while words agree; the windows between anchors are aligned again with smaller
``k``; only small windows get the quadratic longest-common-subsequence. Each level costs
O(n log n) on its window, so 10,000 words a side never meets an n×m table.

>>> normalise_word("DataTalks.Club's")
('datatalks', 'club')
>>> align_sequences("a b c d e f".split(), "a x c d y f".split())
[(0, 0), (2, 2), (3, 3), (5, 5)]
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

#: tokens dropped on both sides: they carry no anchor and break k-grams in the raw captions
FILLERS = frozenset({"um", "uh", "uhm", "umm", "hmm", "mm", "mhm", "er", "erm", "ah", "eh", "oh"})

_NUMBERS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "percent": "%",
}
_CONTRACTIONS = {
    "n't": ["not"],
    "'re": ["are"],
    "'ve": ["have"],
    "'ll": ["will"],
    "'d": ["would"],
    "'m": ["am"],
}
_IS = frozenset({"it", "that", "there", "what", "he", "she", "here", "where", "who", "let"})
_IRREGULAR = {"can't": ["can", "not"], "won't": ["will", "not"], "let's": ["let", "us"]}
_SPLIT = re.compile(r"[\s\-–—/.,:;!?()\[\]\"“”…+&]+")
_STRIP = re.compile(r"[^\w%']+")

#: windows with at most this many cells (len a × len b) get the exact LCS table
SMALL_WINDOW = 6000
#: k-gram sizes tried in turn when looking for anchors in a window
ANCHOR_SIZES = (4, 3, 2, 1)


@lru_cache(maxsize=65536)
def normalise_word(word: str) -> tuple[str, ...]:
    """The comparable tokens of one written word (possibly none, possibly several); each
    distinct word is worked out once (words repeat a lot in speech)."""
    text = unicodedata.normalize("NFKD", word.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("%", " % ")
    tokens: list[str] = []
    for part in _SPLIT.split(text):
        part = _STRIP.sub("", part).strip("'_")
        if not part:
            continue
        tokens.extend(_expand(part))
    return tuple(_NUMBERS.get(t, t) for t in tokens if t and t not in FILLERS)


def _expand(part: str) -> list[str]:
    if part in _IRREGULAR:
        return list(_IRREGULAR[part])
    for suffix, words in _CONTRACTIONS.items():
        if part.endswith(suffix) and len(part) > len(suffix):
            return [part[: -len(suffix)], *words]
    if part.endswith("'s"):
        stem = part[:-2]
        return [stem, "is"] if stem in _IS else [stem]
    return [part.replace("'", "")]


def tokenise(words: Sequence[str]) -> tuple[list[str], list[int]]:
    """Tokens of a word list, and for each token the index of the word it came from."""
    tokens: list[str] = []
    owners: list[int] = []
    for index, word in enumerate(words):
        for token in normalise_word(word):
            tokens.append(token)
            owners.append(index)
    return tokens, owners


def align_sequences(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with a[i] == b[j], increasing in both i and j."""
    ids: dict[str, int] = {}
    ai = [ids.setdefault(t, len(ids)) for t in a]
    bi = [ids.setdefault(t, len(ids)) for t in b]
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(ai), 0, len(bi))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        # common prefix and suffix extend the anchor on either side of the window
        while alo < ahi and blo < bhi and ai[alo] == bi[blo]:
            pairs.append((alo, blo))
            alo += 1
            blo += 1
        while alo < ahi and blo < bhi and ai[ahi - 1] == bi[bhi - 1]:
            ahi -= 1
            bhi -= 1
            pairs.append((ahi, bhi))
        if alo >= ahi or blo >= bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= SMALL_WINDOW:
            pairs.extend(_lcs(ai, bi, alo, ahi, blo, bhi))
            continue
        anchors = _window_anchors(ai, bi, alo, ahi, blo, bhi)
        if not anchors:
            continue  # a big window with nothing in common: left unaligned
        prev_a, prev_b = alo, blo
        for i, j, k in anchors:
            stack.append((prev_a, i, prev_b, j))
            pairs.extend((i + d, j + d) for d in range(k))
            prev_a, prev_b = i + k, j + k
        stack.append((prev_a, ahi, prev_b, bhi))
    pairs.sort()
    return pairs


def _window_anchors(
    a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int, int]]:
    """Non-overlapping (i, j, k) anchors in order, from the largest k that finds any."""
    for k in ANCHOR_SIZES:
        if ahi - alo < k or bhi - blo < k:
            continue
        found = unique_kgram_matches(a[alo:ahi], b[blo:bhi], k)
        chain = increasing_chain(found)
        result: list[tuple[int, int, int]] = []
        end_a = end_b = -1
        for i, j in chain:
            if i >= end_a and j >= end_b:
                result.append((alo + i, blo + j, k))
                end_a, end_b = i + k, j + k
        if result:
            return result
    return []


def unique_kgram_matches(a: Sequence[int], b: Sequence[int], k: int) -> list[tuple[int, int]]:
    """(i, j) for every k-gram that occurs exactly once in a and once in b, sorted by i."""

    def once(seq: Sequence[int]) -> dict[tuple[int, ...], int]:
        seen: dict[tuple[int, ...], int] = {}
        for pos in range(len(seq) - k + 1):
            gram = tuple(seq[pos : pos + k])
            seen[gram] = -1 if gram in seen else pos
        return seen

    in_a, in_b = once(a), once(b)
    matches = [(i, j) for gram, i in in_a.items() if i >= 0 and (j := in_b.get(gram, -1)) >= 0]
    matches.sort()
    return matches


def increasing_chain(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (sorted by i) whose j increase too (patience sort)."""
    tails: list[int] = []  # j of the smallest tail of each chain length
    tail_index: list[int] = []
    back: list[int] = []
    for index, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        back.append(tail_index[pos - 1] if pos else -1)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[pos] = j
            tail_index[pos] = index
    chain: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = back[index]
    chain.reverse()
    return chain


def _lcs(
    a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Exact longest common subsequence of a small window (n × m cells)."""
    n, m = ahi - alo, bhi - blo
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        row, below = table[x], table[x + 1]
        ax = a[alo + x]
        for y in range(m - 1, -1, -1):
            if ax == b[blo + y]:
                row[y] = below[y + 1] + 1
            else:
                row[y] = max(below[y], row[y + 1])
    pairs: list[tuple[int, int]] = []
    x = y = 0
    while x < n and y < m:
        if a[alo + x] == b[blo + y]:
            pairs.append((alo + x, blo + y))
            x += 1
            y += 1
        elif table[x + 1][y] >= table[x][y + 1]:
            x += 1
        else:
            y += 1
    return pairs


def keep_supported(
    pairs: Sequence[tuple[int, int]], min_run: int = 3, reach: int = 30
) -> list[tuple[int, int]]:
    """Drop short matches that no long run of matches vouches for.

    Where one side has a passage the other lacks, the filling step can pair a stray "the"
    with any "the" in the passage. A run of at least ``min_run`` matches in a row is trusted;
    a shorter one is kept only when a trusted run lies within ``reach`` words before or after
    it, at a consistent distance on both sides.
    """
    runs: list[list[tuple[int, int]]] = []
    for i, j in pairs:
        if runs and runs[-1][-1] == (i - 1, j - 1):
            runs[-1].append((i, j))
        else:
            runs.append([(i, j)])
    trusted = [k for k, run in enumerate(runs) if len(run) >= min_run]
    kept: list[tuple[int, int]] = []
    for k, run in enumerate(runs):
        if len(run) >= min_run or _vouched(runs, trusted, k, reach):
            kept.extend(run)
    return kept


def _vouched(runs: list[list[tuple[int, int]]], trusted: list[int], k: int, reach: int) -> bool:
    pos = bisect_left(trusted, k)
    first, last = runs[k][0], runs[k][-1]
    for t in trusted[max(0, pos - 1) : pos + 1]:
        if t < k:
            da, db = first[0] - runs[t][-1][0], first[1] - runs[t][-1][1]
        else:
            da, db = runs[t][0][0] - last[0], runs[t][0][1] - last[1]
        if 0 < da <= reach and 0 < db <= 2 * da + 15:
            return True
    return False
