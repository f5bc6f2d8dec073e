"""``transcript.vtt``: WebVTT captions with voice spans, as browsers' ``<track>`` and players read.

Strict parsers (a browser, webvtt-parser, ffmpeg) want: the ``WEBVTT`` header, ``hh:mm:ss.ttt``
times, ``&``, ``<`` and ``>`` escaped in text (so ``-->`` never appears in it), and no blank
line inside a cue (ffmpeg stops reading at one and loses every later cue).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import Problem
from ..model import Cue, Episode, Show
from ..times import span_clocks
from . import Output, episode_path

FILE_NAME = "transcript.vtt"


def escape(text: str) -> str:
    """Escape text for a cue payload or a voice annotation."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(cues: Sequence[Cue]) -> bytes:
    """The WebVTT file for the cues (UTF-8, LF line ends, one blank line between cues)."""
    blocks = ["WEBVTT"]
    voices: dict[str | None, str] = {}  # a show has a few speakers and hundreds of cues
    clocks = span_clocks(((cue.start, cue.end) for cue in cues), ".")
    for cue, (start, end) in zip(cues, clocks):
        lines = [escape(line) for line in cue.text.split("\n") if line.strip()]
        voice = voices.get(cue.speaker)
        if voice is None:
            voice = voices[cue.speaker] = _voice(cue.speaker)
        if voice and lines:
            lines[0] = voice + lines[0]
        blocks.append(f"{start} --> {end}\n" + "\n".join(lines))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _voice(name: str | None) -> str:
    """The voice span that opens a cue (empty when nobody is named)."""
    speaker = " ".join((name or "").split())
    if not speaker:
        return ""
    # a name ending in "--" would make "-->" with the tag's ">"; parsers trim the space
    pad = " " if speaker.endswith("-") else ""
    return f"<v {escape(speaker)}{pad}>"


def episode_outputs(show: Show, episode: Episode, problems: list[Problem]) -> list[Output]:
    if not episode.cues:
        return []
    return [Output(episode_path(episode, FILE_NAME), render(episode.cues), episode.slug)]
