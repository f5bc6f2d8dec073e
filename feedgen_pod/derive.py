"""Derived episode data, computed once per episode before any format runs.

Cues (caption cues from the transcript, or from raw captions) and normalised chapters are
model values every format reads; computing them here keeps the formats consistent with each
other to the millisecond.
"""

from __future__ import annotations

from dataclasses import replace

from .align import align_episode
from .chapters import derive_chapters
from .cues import build_cues, episode_cues
from .errors import Problem
from .model import Episode, Show


def enrich(show: Show, episode: Episode, problems: list[Problem]) -> Episode:
    """The episode with ``cues`` and ``chapters`` filled in."""
    # alignment first: chapters and cues then start where their lines really start
    episode, word_times = align_episode(episode, problems)
    episode = replace(episode, chapters=derive_chapters(show, episode, problems))
    if word_times is not None:
        cues = build_cues(episode.lines, episode.duration, show.transcripts, word_times)
    else:
        cues = episode_cues(show, episode, problems)
    episode = replace(episode, cues=cues)
    return episode


def summary(episode: Episode) -> Episode:
    """What show-level formats need, without the transcript (memory stays flat)."""
    # one cue is kept as a marker: feedlinks.transcript_links lists transcripts only when
    # there are cues, and the feed is built from summaries
    # the best-known duration is kept as the declared one: without the transcript,
    # ``Episode.duration`` would lose its transcript-end estimate and the show-level files
    # (feed, podcast.jsonld) would disagree with the per-episode files
    return replace(
        episode,
        transcript=(),
        cues=episode.cues[:1],
        captions=None,
        declared_duration=episode.duration,
        # field lines of transcript entries were most of a summary's memory (and of the cache)
        field_lines={
            k: v for k, v in episode.field_lines.items() if not k.startswith("transcript.")
        },
    )
