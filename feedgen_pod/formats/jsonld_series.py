"""schema.org JSON-LD for the whole show: ``podcast.jsonld``.

The ``PodcastSeries`` with its seasons (number, episode count, first and last publication
date) and its episodes by ``@id``: the same ids the episode documents use, so a consumer that
reads both merges them. Built from episode summaries (no transcripts).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..model import Episode, Show
from . import Output, Rendered
from .jsonld_common import (
    Node,
    compact,
    day,
    document,
    dumps,
    episode_id,
    episode_url,
    organization_node,
    person_node,
    ref,
    season_id,
    series_id,
    series_node,
    unique_people,
)

SERIES_FILE = "podcast.jsonld"


def show_outputs(show: Show, episodes: Sequence[Episode]) -> Rendered:
    return Rendered((Output(SERIES_FILE, dumps(series_document(show, episodes))),))


def _order(episode: Episode) -> tuple:
    """Oldest first within the series: season, number, then slug (deterministic)."""
    return (
        episode.season if episode.season is not None else -1,
        episode.number if episode.number is not None else -1,
        episode.slug,
    )


def series_document(show: Show, episodes: Sequence[Episode]) -> dict:
    ordered = sorted(episodes, key=_order)
    seasons = sorted({e.season for e in ordered if e.season is not None})
    dates = [e.pub_date for e in ordered if e.pub_date]
    series = series_node(show)
    series["hasPart"] = [ref(season_id(show, n)) for n in seasons] + [
        ref(episode_id(show, e)) for e in ordered
    ]
    if dates:
        series["startDate"] = min(dates).isoformat()
    in_season: dict[int, list[Episode]] = {number: [] for number in seasons}
    for episode in ordered:
        if episode.season is not None:
            in_season[episode.season].append(episode)
    nodes: list[Node] = [series]
    nodes += [season_node(show, number, in_season[number]) for number in seasons]
    nodes += [episode_stub(show, e) for e in ordered]
    nodes.append(organization_node(show))
    nodes += [person_node(show, p) for p in unique_people(show.hosts)]
    return document(nodes)


def season_node(show: Show, number: int, episodes: list[Episode]) -> Node:
    """A season: its episode count, and the first and last publication dates it has."""
    dates: list[date] = [e.pub_date for e in episodes if e.pub_date]
    return compact(
        {
            "@type": "PodcastSeason",
            "@id": season_id(show, number),
            "seasonNumber": number,
            "numberOfEpisodes": len(episodes),
            "startDate": day(min(dates)) if dates else None,
            "endDate": day(max(dates)) if dates else None,
            "partOfSeries": ref(series_id(show)),
            "episode": [ref(episode_id(show, e)) for e in episodes],
        }
    )


def episode_stub(show: Show, episode: Episode) -> Node:
    """Enough of an episode to list it; the full node is in its own ``episode.jsonld``."""
    return compact(
        {
            "@type": "PodcastEpisode",
            "@id": episode_id(show, episode),
            "url": episode_url(show, episode),
            "name": episode.title,
            "datePublished": day(episode.pub_date),
            "episodeNumber": episode.number,
            "partOfSeason": (
                ref(season_id(show, episode.season)) if episode.season is not None else None
            ),
            "partOfSeries": ref(series_id(show)),
        }
    )
