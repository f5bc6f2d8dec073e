"""``transcript.json``: the Podcasting 2.0 JSON transcript (``version`` and ``segments``).

One segment per cue, so the JSON agrees with the captions to the millisecond; ``body`` is the
cue's text on one line, ``speaker`` is left out when nobody is named.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..errors import Problem
from ..model import Cue, Episode, Show
from . import Output, episode_path

FILE_NAME = "transcript.json"
VERSION = "1.0.0"


def segments(cues: Sequence[Cue]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for cue in cues:
        segment: dict[str, object] = {}
        speaker = " ".join((cue.speaker or "").split())
        if speaker:
            segment["speaker"] = speaker
        segment["startTime"] = round(cue.start, 3)
        segment["endTime"] = round(cue.end, 3)
        segment["body"] = " ".join(cue.text.split())
        out.append(segment)
    return out


def render(cues: Sequence[Cue]) -> bytes:
    """One segment per line: readable in a diff, and encoded by json's C encoder (an
    ``indent`` would switch it to the pure-Python one, the slowest step of a build)."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    rows = ",\n    ".join(encode(segment) for segment in segments(cues))
    body = f"\n    {rows}\n  " if rows else ""
    return f'{{\n  "version": {encode(VERSION)},\n  "segments": [{body}]\n}}\n'.encode()


def episode_outputs(show: Show, episode: Episode, problems: list[Problem]) -> list[Output]:
    if not episode.cues:
        return []
    return [Output(episode_path(episode, FILE_NAME), render(episode.cues), episode.slug)]
