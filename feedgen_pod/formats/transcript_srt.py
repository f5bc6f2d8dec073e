"""``transcript.srt``: SubRip captions, as hosts, YouTube and video players take them.

SubRip has no voice tags, so the speaker is a ``Name:`` prefix; it has no escapes either, so
the only change to the text is ``-->`` written as ``→``: a line holding ``-->`` can be taken for
a timing line by the parsers of players.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Cue, Episode, Show
from . import Output, Rendered, episode_path
from .caption_text import by_speaker, caption_lines, cue_clocks

FILE_NAME = "transcript.srt"


def clean(text: str) -> str:
    return text.replace("-->", "→")


def render(cues: Sequence[Cue]) -> bytes:
    """The SubRip file for the cues: numbered blocks, each ended by a blank line."""
    texts = caption_lines(cues, clean)
    prefixes = by_speaker(cues, lambda name: f"{clean(name)}: " if name else "")
    clocks = cue_clocks(cues)
    # SubRip writes a comma before the milliseconds: the only dot in a clock
    starts = _comma(clocks.starts)
    ends = _comma(clocks.ends)
    return "".join(
        [
            f"{number}\n{start} --> {end}\n{prefixes[cue.speaker] if text else ''}{text}\n\n"
            for number, (start, end, cue, text) in enumerate(zip(starts, ends, cues, texts), 1)
        ]
    ).encode()


def _comma(clocks: list[str]) -> list[str]:
    return "\n".join(clocks).replace(".", ",").split("\n") if clocks else []


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    if not episode.cues:
        return Rendered()
    return Rendered((Output(episode_path(episode, FILE_NAME), render(episode.cues), episode.slug),))
