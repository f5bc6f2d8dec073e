"""Match the show's existing host feed (Anchor/Spotify RSS) to episodes: enclosure and guid.

Placeholder: the full matcher (Anchor id, YouTube id, normalised title) replaces this.
"""

from __future__ import annotations

from ..errors import Problem
from ..model import Episode


class HostFeed:
    def __init__(self, problems: list[Problem]):
        self.problems = problems

    @classmethod
    def load(cls, source: str, problems: list[Problem]) -> HostFeed:
        return cls(problems)

    def attach(self, episode: Episode) -> Episode:
        return episode

    def claim(self, episode: Episode) -> None:
        """Mark the item this episode would match as used (it has its own audio)."""

    def report_unmatched(self) -> None:
        pass
