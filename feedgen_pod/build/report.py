"""What a build did: its counts and problems, the summary line and what the exit code reads."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import Problem, Severity
from ..problem_report import counted

if TYPE_CHECKING:
    from ..model import Episode

#: an item's first and last line as the feed writes them (``formats.rss.item_xml``)
_ITEM_START, _ITEM_END = b"    <item>\n", b"    </item>\n"


@dataclass(frozen=True)
class FeedSize:
    """How big a feed is, and its largest items: what to trim when apps find it heavy."""

    size: int
    items: int
    #: (title, bytes) of the largest items, largest first
    largest: tuple[tuple[str, int], ...]

    def lines(self) -> list[str]:
        head = f"feed.xml: {self.size / 1e6:.2f} MB, {self.items} items; largest:"
        if not self.largest:
            return [f"feed.xml: {self.size / 1e6:.2f} MB, no items"]
        return [head, *(f"  {n / 1e3:7.1f} kB  {title}" for title, n in self.largest)]


def feed_size(feed: bytes, top: int = 5) -> FeedSize:
    """Sizes read back from a feed's bytes (each item is one ``<item>`` block, see
    ``item_xml``), so a feed reused from an earlier build is measured the same way."""
    sizes: list[tuple[str, int]] = []
    start = feed.find(_ITEM_START)
    while start != -1:
        end = feed.index(_ITEM_END, start) + len(_ITEM_END)
        block = feed[start:end]
        title = block[block.index(b"<title>") + 7 : block.index(b"</title>")]
        sizes.append((html.unescape(title.decode("utf-8")), len(block)))
        start = feed.find(_ITEM_START, end)
    largest = sorted(sizes, key=lambda pair: (-pair[1], pair[0]))[:top]
    return FeedSize(len(feed), len(sizes), tuple(largest))


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
            f"built {counted(self.built, 'episode')}, reused {self.reused}, skipped "
            f"{self.skipped}; {counted(self.files_written, 'file')} changed, "
            f"{self.files_removed} removed; {counted(len(self.errors), 'error')}, "
            f"{counted(len(self.warnings), 'warning')} in {self.seconds:.2f}s"
        )
