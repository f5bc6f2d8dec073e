"""Timestamp lists (``HH:MM:SS Title`` per line), and finding the one that belongs to an episode.

Lists are named by the old ``sNNeMM-slug.txt`` scheme, so they are matched by season and episode
number; when two lists share the numbers, the one whose name shares most words with the episode's
slug or short title wins.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem, Severity, display_path
from ..model import TimestampEntry, TimestampList
from .field_base import clock_within_limit
from .frontmatter import read_text, remove_controls

_LINE = re.compile(r"^\s*\(?((?:\d+:)?\d{1,2}:\d{2})\)?\s*[-–—:|]?\s*(.+?)\s*$")
_NAME = re.compile(r"^s(\d+)e(\d+)(?:[-_](.*))?$", re.I)


def parse_timestamp_text(
    text: str, where: str, problems: list[Problem]
) -> tuple[TimestampEntry, ...]:
    """Entries of a timestamp list; a line that is not ``time title`` is a warning."""
    entries = []
    text, controls = remove_controls(text, where, None)
    problems.extend(controls)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            problems.append(
                Problem(
                    where,
                    number,
                    None,
                    f"not 'HH:MM:SS Title': {line.strip()[:60]!r}; skipped",
                    Severity.WARNING,
                    kind="timestamp-line-invalid",
                )
            )
            continue
        start = clock_within_limit(match.group(1))
        if start is None:
            problems.append(
                Problem(
                    where,
                    number,
                    None,
                    f"time {match.group(1)[:20]!r} is past 100 hours; skipped (fix the time)",
                    Severity.WARNING,
                    kind="timestamp-time-too-large",
                )
            )
            continue
        entries.append(TimestampEntry(start, match.group(2), number))
    return tuple(entries)


def load_timestamp_list(path: Path, problems: list[Problem]) -> TimestampList | None:
    where = display_path(path)
    text = read_text(path, where, None, "cannot read timestamp list")
    if isinstance(text, Problem):
        problems.append(text)
        return None
    return TimestampList(path, parse_timestamp_text(text, where, problems))


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", text.lower()) if len(w) > 2}


def find_timestamp_list(
    directory: Path | None, season: int | None, number: int | None, slug: str, title: str
) -> Path | None:
    """The list in ``directory`` for this season and episode, best name match first."""
    if directory is None or season is None or number is None or not directory.is_dir():
        return None
    candidates = []
    for path in sorted(directory.glob("*.txt")):
        match = _NAME.match(path.stem)
        if match and int(match.group(1)) == season and int(match.group(2)) == number:
            overlap = len(_words(match.group(3) or "") & (_words(slug) | _words(title)))
            candidates.append((-overlap, path.name, path))
    return min(candidates)[2] if candidates else None
