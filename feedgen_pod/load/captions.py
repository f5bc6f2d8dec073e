"""Raw YouTube captions: ``m:ss text`` or ``h:mm:ss text`` lines, a few unedited words each.

A line without a time stamp continues the previous caption.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem, Severity, display_path
from ..model import RawCaption, RawCaptions
from .field_base import clock_within_limit
from .frontmatter import read_text, remove_controls

_STAMP = re.compile(r"^\s*((?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d+)?)\s*(.*)$")


def parse_raw_captions(text: str, where: str, problems: list[Problem]) -> tuple[RawCaption, ...]:
    captions: list[RawCaption] = []
    # control characters are not allowed in the caption formats (nor in XML): removed
    text, controls = remove_controls(text, where, "captions")
    problems.extend(controls)
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        match = _STAMP.match(line)
        start = clock_within_limit(match.group(1)) if match else None
        if match and start is None:
            problems.append(
                Problem(
                    where,
                    number,
                    "captions",
                    f"time {match.group(1)[:20]!r} is past 100 hours; skipped (fix the time)",
                    Severity.WARNING,
                    kind="caption-time-too-large",
                )
            )
        elif match and start is not None:
            captions.append(RawCaption(start, match.group(2).strip(), number))
        elif captions:
            last = captions[-1]
            captions[-1] = RawCaption(last.start, f"{last.text} {line.strip()}", last.source_line)
        else:
            problems.append(
                Problem(
                    where,
                    number,
                    None,
                    "text before the first time stamp; skipped",
                    Severity.WARNING,
                    kind="captions-text-before-time",
                )
            )
    return tuple(captions)


def load_raw_captions(path: Path, problems: list[Problem]) -> RawCaptions | None:
    where = display_path(path)
    text = read_text(path, where, "captions")
    if isinstance(text, Problem):
        problems.append(text)
        return None
    return RawCaptions(path, parse_raw_captions(text, where, problems))
