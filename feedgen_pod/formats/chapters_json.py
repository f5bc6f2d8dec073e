"""Podcasting 2.0 JSON chapters (``chapters.json``, version 1.2.0), linked by ``podcast:chapters``.

Times are seconds with millisecond precision, the same numbers every other chapter format uses.
"""

from __future__ import annotations

import orjson

from ..model import Episode, Show
from . import Output, Rendered, episode_path
from .feedlinks import CHAPTERS_FILE

VERSION = "1.2.0"


def seconds(value: float) -> int | float:
    """A time to the millisecond, as an integer when it is whole (``49`` not ``49.0``)."""
    ms = round(value * 1000)
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


def document(show: Show, episode: Episode) -> dict:
    chapters = []
    for chapter in episode.chapters:
        item: dict[str, object] = {
            "startTime": seconds(chapter.start),
            "endTime": seconds(chapter.end),
            "title": chapter.title,
        }
        if chapter.url:
            item["url"] = chapter.url
        chapters.append(item)
    return {
        "version": VERSION,
        "title": episode.title,
        "podcastName": show.title,
        "chapters": chapters,
    }


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    if not episode.chapters:
        return Rendered()
    data = orjson.dumps(document(show, episode), option=orjson.OPT_INDENT_2) + b"\n"
    return Rendered((Output(episode_path(episode, CHAPTERS_FILE), data, episode.slug),))
