"""``chapters.ffmeta``: FFMETADATA1 chapters for ffmpeg.

``ffmpeg -i audio.mp3 -i chapters.ffmeta -map_metadata 1 -codec copy out.mp3`` embeds them.
Every ``[CHAPTER]`` has ``TIMEBASE=1/1000`` and an ``END`` (ffmpeg guesses badly without), and
``=``, ``;``, ``#``, ``\\`` and newlines in values are escaped with a backslash, as the format says.
"""

from __future__ import annotations

import re

from ..model import Episode, Show
from . import Output, Rendered, episode_path

FILE = "chapters.ffmeta"
_SPECIAL = re.compile(r"([=;#\\\n])")


def escape(value: str) -> str:
    return _SPECIAL.sub(r"\\\1", value)


def render(show: Show, episode: Episode) -> str:
    lines = [
        ";FFMETADATA1",
        f"title={escape(episode.title)}",
        f"artist={escape(show.author)}",
        f"album={escape(show.title)}",
    ]
    for chapter in episode.chapters:
        lines += [
            "",
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(chapter.start * 1000)}",
            f"END={round(chapter.end * 1000)}",
            f"title={escape(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    if not episode.chapters:
        return Rendered()
    data = render(show, episode).encode("utf-8")
    return Rendered((Output(episode_path(episode, FILE), data, episode.slug),))
