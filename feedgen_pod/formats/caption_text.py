"""Every cue's text as caption formats print it, worked out for all the cues of an episode at once.

An episode has hundreds of cues and four formats print each one; string methods applied
once to the texts of all cues (joined by a separator no text holds) cost a fraction of the
same methods called cue by cue, which were most of a transcript's rendering time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..model import Cue
from ..times import ms_clock

T = TypeVar("T")

#: joins the texts of all cues; control characters never reach a cue (the loader drops them)
_SEP = "\x00"


def caption_lines(cues: Sequence[Cue], fix: Callable[[str], str] = str) -> list[str]:
    """Each cue's text without its blank lines (a blank line ends a cue for ffmpeg and most
    players, and every later cue is lost), passed through ``fix`` (a format's escaping, which
    must leave line breaks and the separator alone)."""
    joined = _SEP.join([cue.text for cue in cues])
    if joined.count(_SEP) == len(cues) - 1 and all(
        map(str.strip, joined.replace(_SEP, "\n").split("\n"))
    ):
        return fix(joined).split(_SEP)  # no blank line anywhere: the texts as they are
    return [fix("\n".join(line for line in cue.text.split("\n") if line.strip())) for cue in cues]


def _once_per_cue_list(work: Callable[[Sequence[Cue]], T]) -> Callable[[Sequence[Cue]], T]:
    """``work`` done once for the cue tuple last given (several formats of one episode ask
    in turn: ``Episode.cues`` is a tuple). The tuple is held, so the identity test stays
    sound; anything mutable is worked on afresh. Callers only read the result."""
    last: list = [None, None]

    @functools.wraps(work)
    def once(cues: Sequence[Cue]) -> T:
        if type(cues) is not tuple:
            return work(cues)
        if last[0] is not cues:
            last[:] = [cues, work(cues)]
        return last[1]

    return once


@_once_per_cue_list
def one_line(cues: Sequence[Cue]) -> list[str]:
    """Each cue's text on one line, every run of white space made one space, none at the ends."""
    joined = _SEP.join([cue.text for cue in cues])
    if joined.count(_SEP) != len(cues) - 1:
        return [" ".join(cue.text.split()) for cue in cues]
    squeezed = " ".join(joined.split())  # the separator is not white space: it stays
    return squeezed.replace(f" {_SEP}", _SEP).replace(f"{_SEP} ", _SEP).split(_SEP)


def by_speaker(cues: Sequence[Cue], form: Callable[[str], T]) -> dict[str | None, T]:
    """``form`` of each speaker's name (white space squeezed, "" for nobody), by the name as
    the cues hold it: a show has a few speakers and hundreds of cues."""
    out: dict[str | None, T] = {}
    for cue in cues:
        if cue.speaker not in out:
            out[cue.speaker] = form(" ".join((cue.speaker or "").split()))
    return out


@dataclass(frozen=True)
class CueClocks:
    """Every cue's start and end in whole milliseconds and as ``hh:mm:ss.ttt``."""

    starts_ms: list[int]
    ends_ms: list[int]
    starts: list[str]
    ends: list[str]


@_once_per_cue_list
def cue_clocks(cues: Sequence[Cue]) -> CueClocks:
    """The cues' times: VTT, SRT and JSON each print all of them, and each end is nearly
    always the next cue's start, so each time is written once."""
    starts_ms = [round(cue.start * 1000) if cue.start > 0 else 0 for cue in cues]
    ends_ms = [round(cue.end * 1000) if cue.end > 0 else 0 for cue in cues]
    starts = [ms_clock(ms) for ms in starts_ms]
    following = [*starts_ms[1:], None]
    ends = [
        starts[i + 1] if end == after else ms_clock(end)
        for i, (end, after) in enumerate(zip(ends_ms, following))
    ]
    return CueClocks(starts_ms, ends_ms, starts, ends)
