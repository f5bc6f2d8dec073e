"""``transcript.json``: the Podcasting 2.0 JSON transcript (``version`` and ``segments``).

One segment per cue, so the JSON agrees with the captions to the millisecond; ``body`` is the
cue's text on one line, ``speaker`` is left out when nobody is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from ..model import Cue, Episode, Show
from . import Output, Rendered, episode_path
from .caption_text import by_speaker, cue_clocks, one_line

FILE_NAME = "transcript.json"
VERSION = "1.0.0"


def render(cues: Sequence[Cue]) -> bytes:
    """The document, indented; times in seconds with millisecond precision."""
    clocks = cue_clocks(cues)
    names = by_speaker(cues, lambda name: name)
    segments: list[dict[str, Any]] = []
    for cue, start, end, body in zip(cues, clocks.starts_ms, clocks.ends_ms, one_line(cues)):
        timed = {"startTime": start / 1000, "endTime": end / 1000, "body": body}
        speaker = names[cue.speaker]
        segments.append({"speaker": speaker, **timed} if speaker else timed)
    document = {"version": VERSION, "segments": segments}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    if not episode.cues:
        return Rendered()
    return Rendered((Output(episode_path(episode, FILE_NAME), render(episode.cues), episode.slug),))
