"""``transcript.srt``: SubRip captions, as hosts, YouTube and video players take them.

SubRip has no voice tags, so the speaker is a ``Name:`` prefix; it has no escapes either, so
the only change to the text is ``-->`` written as ``→``: a line holding ``-->`` can be taken for
a timing line by the parsers of players.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import Problem
from ..model import Cue, Episode, Show
from ..times import span_clocks
from . import Output, episode_path

FILE_NAME = "transcript.srt"


def clean(text: str) -> str:
    return text.replace("-->", "→")


def render(cues: Sequence[Cue]) -> bytes:
    """The SubRip file for the cues: numbered blocks, each ended by a blank line."""
    blocks = []
    names: dict[str | None, str] = {}
    clocks = span_clocks(((cue.start, cue.end) for cue in cues), ",")
    for number, (cue, (start, end)) in enumerate(zip(cues, clocks), start=1):
        lines = [clean(line) for line in cue.text.split("\n") if line.strip()]
        prefix = names.get(cue.speaker)
        if prefix is None:
            speaker = " ".join((cue.speaker or "").split())
            prefix = names[cue.speaker] = f"{clean(speaker)}: " if speaker else ""
        if prefix and lines:
            lines[0] = prefix + lines[0]
        blocks.append(f"{number}\n{start} --> {end}\n" + "\n".join(lines))
    return "".join(block + "\n\n" for block in blocks).encode("utf-8")


def episode_outputs(show: Show, episode: Episode, problems: list[Problem]) -> list[Output]:
    if not episode.cues:
        return []
    return [Output(episode_path(episode, FILE_NAME), render(episode.cues), episode.slug)]
