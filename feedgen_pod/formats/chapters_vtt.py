"""``chapters.vtt``: a WebVTT chapters track for ``<track kind="chapters">`` in HTML5 players.

Cue text is escaped (``&``, ``<``, ``>``), so a title cannot open a tag or hold ``-->``.
"""

from __future__ import annotations

from ..model import Episode, Show
from ..times import format_clock
from . import Output, Rendered, episode_path
from .transcript_vtt import escape

FILE = "chapters.vtt"


def render(episode: Episode) -> str:
    blocks = ["WEBVTT"]
    for number, chapter in enumerate(episode.chapters, start=1):
        start, end = format_clock(chapter.start, ms=True), format_clock(chapter.end, ms=True)
        blocks.append(f"chapter-{number}\n{start} --> {end}\n{escape(chapter.title)}")
    return "\n\n".join(blocks) + "\n"


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    if not episode.chapters:
        return Rendered()
    return Rendered(
        (Output(episode_path(episode, FILE), render(episode).encode("utf-8"), episode.slug),)
    )
