"""Every cue's text as caption formats print it, and the cues' clocks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..model import Cue
from ..times import ms_clock

T = TypeVar("T")


def caption_lines(cues: Sequence[Cue], fix: Callable[[str], str] = str) -> list[str]:
    """Each cue's text without its blank lines (a blank line ends a cue for ffmpeg and most
    players, and every later cue is lost), passed through ``fix`` (a format's escaping)."""
    return [fix("\n".join(line for line in cue.text.split("\n") if line.strip())) for cue in cues]


def one_line(cues: Sequence[Cue]) -> list[str]:
    """Each cue's text on one line, every run of white space made one space, none at the ends."""
    return [" ".join(cue.text.split()) for cue in cues]


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


def cue_clocks(cues: Sequence[Cue]) -> CueClocks:
    """The cues' times as VTT, SRT and JSON print them (a time before 0 is 0)."""
    starts_ms = [round(cue.start * 1000) if cue.start > 0 else 0 for cue in cues]
    ends_ms = [round(cue.end * 1000) if cue.end > 0 else 0 for cue in cues]
    return CueClocks(
        starts_ms, ends_ms, [ms_clock(ms) for ms in starts_ms], [ms_clock(ms) for ms in ends_ms]
    )
