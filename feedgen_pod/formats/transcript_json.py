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
    names: dict[str | None, str] = {}
    for cue in cues:
        segment: dict[str, object] = {}
        speaker = names.get(cue.speaker)
        if speaker is None:
            speaker = names[cue.speaker] = " ".join((cue.speaker or "").split())
        if speaker:
            segment["speaker"] = speaker
        segment["startTime"] = round(cue.start, 3)
        segment["endTime"] = round(cue.end, 3)
        segment["body"] = " ".join(cue.text.split())
        out.append(segment)
    return out


def render(cues: Sequence[Cue]) -> bytes:
    """One segment per line, readable in a diff. Each row is written directly with json's C
    string escaper: json's encoder pays a set-up per call (one call per segment was the
    slowest step of a build), and an ``indent`` switches it to the pure-Python one. Floats
    are written as json writes them (``repr``); the tests parse every file back."""
    rows = ",\n    ".join(_row(segment) for segment in segments(cues))
    body = f"\n    {rows}\n  " if rows else ""
    return f'{{\n  "version": {_string(VERSION)},\n  "segments": [{body}]\n}}\n'.encode()


_string = json.encoder.encode_basestring  # the C escaper, as ensure_ascii=False uses


def _row(segment: dict[str, object]) -> str:
    speaker = segment.get("speaker")
    head = f'"speaker": {_string(speaker)}, ' if isinstance(speaker, str) else ""
    return (
        f'{{{head}"startTime": {segment["startTime"]!r}, "endTime": {segment["endTime"]!r}, '
        f'"body": {_string(segment["body"])}}}'
    )


def episode_outputs(show: Show, episode: Episode, problems: list[Problem]) -> list[Output]:
    if not episode.cues:
        return []
    return [Output(episode_path(episode, FILE_NAME), render(episode.cues), episode.slug)]
