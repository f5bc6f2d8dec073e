"""Derived episode data, computed once per episode before any format runs.

Cues (caption cues from the transcript, or from raw captions) and normalised chapters are
model values every format reads; computing them here keeps the formats consistent with each
other to the millisecond.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import Problem
from ..model import Clip, Episode, Show
from .alignment import align_episode
from .chapters import derive_chapters
from .cue_timing import build_cues, episode_cues


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
    # everything else the feed and podcast.jsonld do not read is dropped: 10,000 summaries
    # are held (and cached) at once; short, anchor_id and youtube_id stay because a rebuild
    # matches the host feed from the summary
    return replace(
        episode,
        links={},
        topics=(),
        keywords=(),
        modified=None,
        transcript=(),
        timestamps=None,
        cues=episode.cues[:1],
        captions=None,
        declared_duration=episode.duration,
        # soundbites read a clip's name, start, end and soundbite mark only
        clips=tuple(
            Clip(c.name, c.start, c.end, soundbite=c.soundbite)
            for c in episode.clips
            if c.end is not None
        ),
        # the feed reports problems at these fields only
        field_lines={k: v for k, v in episode.field_lines.items() if k in SUMMARY_FIELD_LINES},
    )


def listing(brief: Episode) -> Episode:
    """A summary once its feed item is rendered (``feed_item``): what the show-level files
    and a rebuild still read. Its item's text (intro, notes, chapters, clips, guests) is in
    the item's bytes; podcast.jsonld reads the title, date and numbers, and matching a host
    feed the ids. A build holds one per episode and caches one per episode file, and a
    rebuild reads every one: this halves what it unpickles. An episode whose audio changes
    is built again from its file, never from this. A live stream's ``podcast:liveItem`` is
    rendered with the channel (its status changes with the time, not the file): it keeps
    what that item shows."""
    if brief.live is not None and brief.audio is None:
        return replace(brief, notes="", chapters=(), clips=(), cues=())
    return replace(
        brief,
        guests=(),
        image=None,
        intro=None,
        description=None,
        notes="",
        chapters=(),
        clips=(),
        cues=(),
    )


#: front matter fields whose line a show-level problem names (``formats.rss``, the
#: directory rules in ``checks.directory_rules``)
SUMMARY_FIELD_LINES = frozenset(
    {"episode", "date", "episodeType", "title", "short", "intro", "description", "image",
     "audio", "guid"}
)  # fmt: skip
