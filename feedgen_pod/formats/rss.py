"""The podcast RSS feed (placeholder until the feed module lands)."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import Problem
from ..model import Episode, Show
from . import Output


def show_outputs(show: Show, episodes: Sequence[Episode], problems: list[Problem]) -> list[Output]:
    return []
