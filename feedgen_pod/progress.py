"""A one-line progress bar on stderr, shown only on a terminal (never in CI logs or pipes)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


class Progress:
    """``[#####.....]  120/2000 reused 100  slug``, redrawn at most ten times a second."""

    def __init__(self, total: int, enabled: bool, stream: TextIO | None = None):
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.done = 0
        self._last = 0.0

    @classmethod
    def for_terminal(cls, total: int, quiet: bool) -> Progress:
        stream = sys.stderr
        enabled = not quiet and hasattr(stream, "isatty") and stream.isatty()
        return cls(total, enabled, stream)

    def step(self, label: str = "") -> None:
        self.update(self.done + 1, self.total, label)

    def update(self, done: int, total: int, label: str = "") -> None:
        """``done`` of ``total`` (the link checker learns its total as it goes)."""
        self.done, self.total = done, total
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        filled = WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (WIDTH - filled)
        line = f"[{bar}] {self.done:>{len(str(self.total))}}/{self.total} {label[:40]}"
        self.stream.write("\r" + line.ljust(WIDTH + 60))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (WIDTH + 60) + "\r")
            self.stream.flush()
