"""Every cue's text as caption formats print it, worked out for all the cues of an episode at once.

An episode has hundreds of cues and four formats print each one; string methods applied
once to the texts of all cues (joined by a separator no text holds) cost a fraction of the
same methods called cue by cue, which were most of a transcript's rendering time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ..model import Cue

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
