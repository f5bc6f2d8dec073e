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
from .caption_text import by_speaker, cue_clocks, one_line

FILE_NAME = "transcript.json"
VERSION = "1.0.0"


def render(cues: Sequence[Cue]) -> bytes:
    """One segment per line, readable in a diff. Each row is written directly with json's C
    string escaper: json's encoder pays a set-up per call (one call per segment was the
    slowest step of a build), and an ``indent`` switches it to the pure-Python one. Floats
    are written as json writes them (``repr``); the tests parse every file back."""
    heads = by_speaker(cues, lambda name: f'"speaker": {_string(name)}, ' if name else "")
    clocks = cue_clocks(cues)
    rows = ",\n    ".join(
        [
            f'{{{heads[cue.speaker]}"startTime": {start / 1000!r}, "endTime": {end / 1000!r}, '
            f'"body": {_string(body)}}}'
            for cue, start, end, body in zip(cues, clocks.starts_ms, clocks.ends_ms, one_line(cues))
        ]
    )
    body = f"\n    {rows}\n  " if rows else ""
    return f'{{\n  "version": {_string(VERSION)},\n  "segments": [{body}]\n}}\n'.encode()


_string = json.encoder.encode_basestring  # the C escaper, as ensure_ascii=False uses


def episode_outputs(show: Show, episode: Episode, problems: list[Problem]) -> list[Output]:
    if not episode.cues:
        return []
    return [Output(episode_path(episode, FILE_NAME), render(episode.cues), episode.slug)]
