"""What every front matter parse function shares: the ``Context`` it reports to, the
``FieldError`` it raises, clean text, and times bounded to ``MAX_SECONDS`` (also read by the
transcript, timestamp-list and caption loaders)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, Severity, display_path
from ..model import Person
from ..times import parse_clock
from .dates import DateRules

#: characters XML 1.0 forbids (NUL and other controls), dropped from every text value
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
#: an http(s) URL with a host: what a link or a media file's address in the front matter must be
HTTP_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)
#: no episode is longer than this; a bigger time is a typo (or an attempt to overflow a format)
MAX_SECONDS = 100 * 3600.0


class FieldError(InputError, ValueError):
    """A front matter value that cannot be used; the message says what was expected."""

    def __init__(self, message: str, kind: str = ""):
        super().__init__(message)
        #: the problem's stable code (``Problem.kind``), when it has one
        self.kind = kind


@dataclass
class Context:
    """What parse functions need besides the value: where they are, and where to report."""

    path: Path
    lines: Mapping[str, int]
    problems: list[Problem]
    people: Mapping[str, Person]
    hosts: tuple[Person, ...] = ()
    seen: dict[str, Any] = field(default_factory=dict)
    #: how dates are read (the config's ``date_order``, ``release_time``, ``timezone``)
    dates: DateRules = field(default_factory=DateRules)

    @property
    def where(self) -> str:
        return display_path(self.path)

    def report(
        self,
        field_path: str,
        message: str,
        severity: Severity = Severity.ERROR,
        line: int | None = None,
        kind: str = "",
    ) -> None:
        if line is None:
            line = self.lines.get(field_path) or self.lines.get(field_path.split(".")[0])
        self.problems.append(Problem(self.where, line, field_path, message, severity, kind))

    def warn(self, field_path: str, message: str, line: int | None = None, kind: str = "") -> None:
        self.report(field_path, message, Severity.WARNING, line, kind)


def clean_text(value: str) -> str:
    """Drop characters XML 1.0 forbids (NUL and other controls); keep every other character."""
    value = unicodedata.normalize("NFC", value)
    # each of them is unprintable: printable text (nearly every value) is not searched
    return value if value.isprintable() else CONTROL.sub("", value)


def short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer past the 4,300 digits Python writes out
        return "a number too long to show"
    return text if len(text) <= 60 else text[:57] + "..."


_DECIMAL = re.compile(r"\s*\d+(\.\d+)?\s*")


def seconds_value(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(f"expected seconds or a time like 1:23, got {value!r}")
    if isinstance(value, (int, float)):
        if not 0 <= value <= MAX_SECONDS:  # also NaN and infinities
            raise FieldError(
                f"expected a time from 0 to 100 hours in seconds, got {short_repr(value)}"
            )
        return float(value)
    if isinstance(value, str):
        try:
            seconds = float(value) if _DECIMAL.fullmatch(value) else parse_clock(value)
        except ValueError as exc:
            raise FieldError(str(exc)[:120]) from None
        if not 0 <= seconds <= MAX_SECONDS:
            raise FieldError(f"expected a time within 100 hours, got {short_repr(value)}")
        return seconds
    raise FieldError(f"expected seconds or a time like 1:23, got {type(value).__name__}")


def clock_within_limit(text: str) -> float | None:
    """``parse_clock`` of a time in a timestamp list or raw captions, or None when it is past
    ``MAX_SECONDS`` (an hours part too long to read at all included)."""
    try:
        seconds = parse_clock(text)
    except ValueError:
        return None
    return seconds if seconds <= MAX_SECONDS else None
