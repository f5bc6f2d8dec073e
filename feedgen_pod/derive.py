"""Derived episode data, computed once per episode before any format runs.

Cues (caption cues from the transcript, or from raw captions) and normalised chapters are
model values every format reads; computing them here keeps the formats consistent with each
other to the millisecond.
"""

from __future__ import annotations

from dataclasses import replace

from .chapters import derive_chapters
from .cues import episode_cues
from .errors import Problem
from .model import Episode, Show


def enrich(show: Show, episode: Episode, problems: list[Problem]) -> Episode:
    """The episode with ``cues`` and ``chapters`` filled in."""
    episode = replace(episode, chapters=derive_chapters(show, episode, problems))
    episode = replace(episode, cues=episode_cues(show, episode, problems))
    return episode


def summary(episode: Episode) -> Episode:
    """What show-level formats need, without the transcript (memory stays flat)."""
    return replace(episode, transcript=(), cues=(), captions=None)
