"""What a build did: its counts and problems, the summary line and what the exit code reads.

Kept apart from the pipeline so that a rebuild the stamp shows to have nothing to do can print
the same report without importing the pipeline (see ``stamp``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import Problem, Severity

if TYPE_CHECKING:
    from .formats.rss import FeedSize
    from .model import Episode


@dataclass
class BuildReport:
    """What a build did, for the summary line and the exit code."""

    built: int = 0
    skipped: int = 0
    reused: int = 0
    files_written: int = 0
    files_removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    seconds: float = 0.0
    #: feed.xml's size and largest items (None when the build did not look at the feed)
    feed: FeedSize | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def summary_line(self) -> str:
        return (
            f"built {self.built} episodes, reused {self.reused}, skipped {self.skipped}; "
            f"{self.files_written} files changed, {self.files_removed} removed; "
            f"{len(self.errors)} errors, {len(self.warnings)} warnings in {self.seconds:.2f}s"
        )
