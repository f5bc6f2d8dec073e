"""Publication dates as the sites write them, read without a guess.

ISO 8601 (``2018-10-05T12:08:38+03:00``), RFC 2822 (``Tue, 11 Aug 2026 20:32:04 +0000``) and
written-out dates (``Sep 10 2022``, ``February 29 2016``) are read by python-dateutil. A date
that leaves out its year, month or day (``May 6``, ``3pm``, ``10``) is refused: dateutil
would fill the gap from a default, and a feed dated 6 May 2000 is worse than none. Whether a
part was filled in is seen by reading the text against two different defaults. A date whose
day and month could swap (``6/5/2024``) is read as the config's ``date_order`` says, else
month first with a warning.

The time of day and the zone are kept when the text has them; a naive time is in the show's
``timezone``; a day alone is published at ``release_time`` in ``timezone`` when the config
sets either (else the feed writes it at noon UTC, as it always has).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

#: two defaults that differ in every part: a part that comes out different was not in the text
_DEFAULTS = (datetime(2001, 2, 3, 1, 2, 3), datetime(2002, 4, 5, 4, 5, 6))
_YEAR_FIRST = re.compile(r"^\s*\d{4}[-/.]")
DATE_ORDERS = ("dmy", "mdy", "ymd")


@dataclass(frozen=True)
class DateRules:
    """How a show's dates are read: the config's ``date_order``, ``release_time``, ``timezone``."""

    date_order: str | None = None
    release_time: time | None = None
    timezone: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or "UTC")

    @property
    def releases_at_time(self) -> bool:
        return self.release_time is not None or self.timezone is not None


@dataclass(frozen=True)
class Released:
    """A publication date: the day, and the moment when the file (or the config) gives one."""

    day: date
    #: timezone-aware; None when only the day is known and the config sets no release time
    moment: datetime | None = None
    #: said when the reading was a choice (day and month could swap)
    warning: str = ""


def read_date(value: object, rules: DateRules = DateRules()) -> Released:
    """The publication date of a front matter value; ``ValueError`` saying what was expected."""
    if isinstance(value, datetime):
        return _with_time(value, rules)
    if isinstance(value, date):
        return _day_only(value, rules)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a date like 2024-05-06, got {_shown(value)}")
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return _with_time(parsed, rules) if _has_time(text) else _day_only(parsed.date(), rules)
    return _read_text(text, rules)


def _read_text(text: str, rules: DateRules) -> Released:
    warning = ""
    if _YEAR_FIRST.match(text) or rules.date_order == "ymd":
        dayfirst, yearfirst = False, True
    else:
        month_first = _parse(text, _DEFAULTS[0], dayfirst=False)
        day_first = _parse(text, _DEFAULTS[0], dayfirst=True)
        yearfirst = False
        if rules.date_order is not None:
            dayfirst = rules.date_order == "dmy"
        else:
            dayfirst = False
            if month_first.date() != day_first.date():
                warning = (
                    f"{text!r} could be {_day(month_first)} or {_day(day_first)}; read as "
                    f"{_day(month_first)} (month first): set date_order: dmy or mdy in the config"
                )
    first = _parse(text, _DEFAULTS[0], dayfirst, yearfirst)
    second = _parse(text, _DEFAULTS[1], dayfirst, yearfirst)
    missing = [
        name
        for name, a, b in (
            ("year", first.year, second.year),
            ("month", first.month, second.month),
            ("day", first.day, second.day),
        )
        if a != b
    ]
    if not missing and str(first.year) not in text:
        # dateutil makes 2024 of "24" and 2000 of "0": a century is a guess too
        raise ValueError(
            f"{text!r} does not write its year in full: write the whole date like 2024-05-06"
        )
    if missing:
        raise ValueError(
            f"{text!r} has no {' or '.join(missing)}: write the whole date like "
            f"2024-05-06 (a guessed date would put the episode in the wrong place)"
        )
    if (first.hour, first.minute, first.second) == (second.hour, second.minute, second.second):
        released = _with_time(first, rules)
    else:
        released = _day_only(first.date(), rules)
    return Released(released.day, released.moment, warning)


def _parse(text: str, default: datetime, dayfirst: bool, yearfirst: bool = False) -> datetime:
    try:
        with warnings.catch_warnings():  # a zone name it does not know: read without a zone
            warnings.simplefilter("ignore")
            parsed = dateparser.parse(text, default=default, dayfirst=dayfirst, yearfirst=yearfirst)
    except (ValueError, OverflowError):
        raise ValueError(
            f"expected a date like 2024-05-06 or 'Tue, 11 Aug 2026 20:32:04 +0000', "
            f"got {_shown(text)}"
        ) from None
    offset = parsed.utcoffset()
    # dateutil names the machine's own zone ``tzlocal()``: a fixed offset reads the same anywhere
    return parsed if offset is None else parsed.replace(tzinfo=timezone(offset))


def _has_time(text: str) -> bool:
    return len(text) > 10 and ("T" in text[8:] or " " in text[8:] or ":" in text)


def _with_time(moment: datetime, rules: DateRules) -> Released:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=rules.zone)
    return Released(moment.date(), moment)


def _day_only(day: date, rules: DateRules) -> Released:
    if not rules.releases_at_time:
        return Released(day)
    at = rules.release_time or time(0, 0)
    return Released(day, datetime.combine(day, at, tzinfo=rules.zone))


def _day(value: datetime) -> str:
    return value.strftime("%-d %B %Y")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_release_time(value: object) -> time:
    """The config's ``release_time``: ``HH:MM`` (YAML 1.1 may hand it over as minutes)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)  # ``06:00`` unquoted is base 60 to YAML 1.1
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\s*", value)
        if match:
            return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
    raise ValueError(f"expected a time of day like 06:00, got {_shown(value)}")
