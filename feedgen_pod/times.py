"""Parse and format times, durations and dates, the way every format needs them.

>>> parse_clock("1:02:03")
3723.0
>>> parse_iso_duration("PT01H13M08S")
4388.0
>>> format_clock(3723.5, ms=True)
'01:02:03.500'
>>> iso_duration(4388)
'PT1H13M8S'
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

#: hours of up to 9 digits: a longer number is no time, and past 308 digits it is no float
_CLOCK = re.compile(r"^\s*(?:(\d{1,9}):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)\s*$")
_ISO = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_clock(value: str) -> float:
    """``m:ss``, ``mm:ss`` or ``h:mm:ss`` (optionally with fractions) to seconds."""
    match = _CLOCK.match(value)
    if not match:
        raise ValueError(f"expected a time like 1:23 or 1:02:03, got {value!r}")
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))


def parse_iso_duration(value: str) -> float:
    """ISO 8601 duration (``PT1H2M3S``, ``PT01H31S``) to seconds."""
    match = _ISO.match(value.strip().upper()) if isinstance(value, str) else None
    if not match or value.strip().upper() in ("P", "PT"):
        raise ValueError(f"expected an ISO 8601 duration like PT1H2M3S, got {value!r}")
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]


def format_clock(seconds: float, ms: bool = False, hours: bool = True, sep: str = ".") -> str:
    """``hh:mm:ss`` (always two-digit minutes and seconds), ``.ttt`` with ``ms``."""
    total_ms = round(max(0.0, seconds) * 1000)
    h, rem = divmod(total_ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, millis = divmod(rem, 1000)
    text = f"{h:02d}:{m:02d}:{s:02d}" if hours or h else f"{m:02d}:{s:02d}"
    return f"{text}{sep}{millis:03d}" if ms else text


def ms_clock(ms: int) -> str:
    """``hh:mm:ss.ttt`` of a time in whole milliseconds (0 or more)."""
    whole, millis = divmod(ms, 1000)
    h, rem = divmod(whole, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{millis:03d}"


def iso_duration(seconds: float) -> str:
    """Seconds to a compact ISO 8601 duration (whole seconds)."""
    total = int(round(seconds))
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    out = "PT"
    if h:
        out += f"{h}H"
    if m:
        out += f"{m}M"
    if s or out == "PT":
        out += f"{s}S"
    return out


def at_noon_utc(day: date) -> datetime:
    """A date as a timezone-aware datetime, for formats that need a time of day."""
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=timezone.utc)
