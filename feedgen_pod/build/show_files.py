"""The show's files (``feed.xml``, ``podcast.jsonld``) rendered from every episode's summary,
with the show-level directory rules: what ``build`` writes and what ``validate`` checks, so the
two report the same problems."""

from __future__ import annotations

from collections.abc import Iterable

from ..checks import directory_rules
from ..errors import Problem
from ..formats import SHOW_FORMATS, Output
from ..model import Episode, Show


def render_show(show: Show, summaries: Iterable[Episode]) -> tuple[list[Output], list[Problem]]:
    """Every show-level file and its problems (the formats' own, then the channel's and the
    guids or audio URLs two items share); the episodes newest first."""
    ordered = sorted(summaries, key=newest_first)
    problems: list[Problem] = []
    outputs: list[Output] = []
    for fmt in SHOW_FORMATS:
        made = fmt(show, ordered)
        outputs.extend(made.outputs)
        problems.extend(made.problems)
    problems.extend(directory_rules.check_outputs(show, ordered, outputs))
    return outputs, problems


def newest_first(episode: Episode) -> tuple:
    """Newest first: by date, then season and number, then slug (deterministic)."""
    day = episode.pub_date.toordinal() if episode.pub_date else 0
    return (-day, -(episode.season or 0), -(episode.number or 0), episode.slug)
