"""Output formats: each module is a pure function from the model to bytes.

A format module exposes ``episode_outputs(show, episode)`` or ``show_outputs(show, episodes)``,
returning what it ``Rendered``: its ``Output`` files and the problems it found making them;
none reads files, the clock or the network. ``EPISODE_FORMATS`` and ``SHOW_FORMATS`` are the
registry the build uses: a new format is one new module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import Problem
from ..model import Episode, Show


@dataclass(frozen=True)
class Output:
    """One file for ``dist/``: its path relative to ``dist/``, its bytes, and its episode."""

    path: str
    data: bytes
    episode: str | None = None


@dataclass(frozen=True)
class Rendered:
    """What a format made of the model: its files, and what it found wrong on the way."""

    outputs: tuple[Output, ...] = ()
    problems: tuple[Problem, ...] = ()


EpisodeFormat = Callable[[Show, Episode], Rendered]
ShowFormat = Callable[[Show, Sequence[Episode]], Rendered]


def episode_path(episode: Episode, name: str) -> str:
    """Where an episode's file goes in ``dist/``: ``episodes/<slug>/<name>``."""
    return f"episodes/{episode.slug}/{name}"


def _registry() -> tuple[list[EpisodeFormat], list[ShowFormat]]:
    from . import (
        chapters_ffmeta,
        chapters_json,
        chapters_vtt,
        chapters_youtube,
        jsonld_episode,
        jsonld_series,
        rss,
        transcript_html,
        transcript_json,
        transcript_srt,
        transcript_vtt,
    )

    episode_formats: list[EpisodeFormat] = [jsonld_episode.episode_outputs]
    episode_formats += [
        transcript_vtt.episode_outputs,
        transcript_srt.episode_outputs,
        transcript_json.episode_outputs,
        transcript_html.episode_outputs,
    ]
    episode_formats += [
        chapters_json.episode_outputs,
        chapters_youtube.episode_outputs,
        chapters_vtt.episode_outputs,
        chapters_ffmeta.episode_outputs,
    ]

    show_formats: list[ShowFormat] = [rss.show_outputs, jsonld_series.show_outputs]
    return episode_formats, show_formats


EPISODE_FORMATS, SHOW_FORMATS = _registry()
