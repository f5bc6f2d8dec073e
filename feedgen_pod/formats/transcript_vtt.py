"""``transcript.vtt``: WebVTT captions with voice spans, as browsers' ``<track>`` and players read.

Strict parsers (a browser, webvtt-parser, ffmpeg) want: the ``WEBVTT`` header, ``hh:mm:ss.ttt``
times, ``&``, ``<`` and ``>`` escaped in text (so ``-->`` never appears in it), and no blank
line inside a cue (ffmpeg stops reading at one and loses every later cue).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Cue, Episode, Show
from . import Output, Rendered, episode_path
from .caption_text import by_speaker, caption_lines, cue_clocks

FILE_NAME = "transcript.vtt"


def escape(text: str) -> str:
    """Escape text for a cue payload or a voice annotation."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(cues: Sequence[Cue]) -> bytes:
    """The WebVTT file for the cues (UTF-8, LF line ends, one blank line between cues)."""
    if not cues:
        return b"WEBVTT\n"
    texts = caption_lines(cues, escape)
    voices = by_speaker(cues, _voice)
    clocks = cue_clocks(cues)
    body = "\n\n".join(
        [
            f"{start} --> {end}\n{voices[cue.speaker] if text else ''}{text}"
            for start, end, cue, text in zip(clocks.starts, clocks.ends, cues, texts)
        ]
    )
    return f"WEBVTT\n\n{body}\n".encode()


def _voice(speaker: str) -> str:
    """The voice span that opens a cue (empty when nobody is named)."""
    if not speaker:
        return ""
    # a name ending in "--" would make "-->" with the tag's ">"; parsers trim the space
    pad = " " if speaker.endswith("-") else ""
    return f"<v {escape(speaker)}{pad}>"


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    if not episode.cues:
        return Rendered()
    return Rendered((Output(episode_path(episode, FILE_NAME), render(episode.cues), episode.slug),))
