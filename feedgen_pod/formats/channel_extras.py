"""Episodes the feed's channel names itself: trailers (``podcast:trailer``) and live streams
(``podcast:liveItem``), chosen once for ``feed.xml`` and its archive, with their problems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Problem, Severity, display_path
from ..model import Episode

#: the Podcasting 2.0 limit on a trailer's title (aggregators may cut a longer one)
TRAILER_TITLE_LIMIT = 128


@dataclass(frozen=True)
class ChannelExtras:
    #: trailer episodes with audio and a date, in the feed's order
    trailers: tuple[Episode, ...] = ()
    #: episodes with a live stream and no audio yet, by start time
    live: tuple[Episode, ...] = ()


def channel_extras(show_episodes: Sequence[Episode]) -> tuple[ChannelExtras, list[Problem]]:
    """Trailers: every episode whose type is trailer and that has audio (its item is in the
    feed too); one without a date gets no ``podcast:trailer`` (``pubdate`` is required). Live
    streams: every episode with ``live:`` and no audio; with audio it is a regular item.
    With the problems of the trailers."""
    problems: list[Problem] = []
    trailers = []
    for episode in show_episodes:
        if episode.episode_type != "trailer" or episode.audio is None:
            continue
        where = display_path(episode.source)
        if episode.pub_date is None:
            problems.append(
                Problem(
                    where,
                    episode.line_of("episodeType"),
                    "episodeType",
                    "a trailer without a date: podcast:trailer needs its pubdate, so the "
                    "channel names no trailer for it (its item is in the feed); add 'dateadded'",
                    Severity.WARNING,
                    kind="trailer-no-date",
                )
            )
            continue
        if len(episode.title) > TRAILER_TITLE_LIMIT:
            problems.append(
                Problem(
                    where,
                    episode.line_of("title"),
                    "title",
                    f"{len(episode.title)} characters; a podcast:trailer title has at most "
                    f"{TRAILER_TITLE_LIMIT} (apps may cut it): shorten it",
                    Severity.WARNING,
                    kind="trailer-title-too-long",
                )
            )
        trailers.append(episode)
    live = [e for e in show_episodes if e.live is not None and e.audio is None]
    live.sort(key=lambda e: (e.live.start if e.live else None, e.slug))
    return ChannelExtras(tuple(trailers), tuple(live)), problems
