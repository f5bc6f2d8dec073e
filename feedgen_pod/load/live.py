"""An episode's ``live:`` front matter: a stream that becomes a ``podcast:liveItem``.

``live: {start, end, stream, type, url}``: ``start`` and ``end`` are dates and times with their
timezone, ``stream`` the audio or video stream URL apps play and ``type`` its media type (the
live item's enclosure, which apps require), ``url`` the page to watch it on.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from typing import Any

from ..model import LiveStream
from .field_base import HTTP_URL

_MEDIA_TYPE = re.compile(r"^[a-z]+/[A-Za-z0-9.+-]+$")
_EXAMPLE = "like 2026-05-01T18:00:00+02:00 or 2026-05-01T16:00:00Z"


class LiveError(ValueError):
    """A wrong part of ``live:``, with the part's dotted name (``live.start``) and its kind."""

    def __init__(self, part: str, message: str, kind: str = "live-invalid"):
        super().__init__(message)
        self.part = part
        self.kind = kind


def parse_live(value: Any, name: str = "live") -> LiveStream | None:
    """The ``LiveStream`` of a ``live:`` mapping; raises ``LiveError`` naming the wrong part."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise LiveError(name, "expected a mapping with start, end, stream, type and url")
    if value.get("stream") in (None, ""):
        raise LiveError(
            name,
            "no 'stream': the audio or video stream URL apps play (the live item's enclosure)",
            "live-no-stream",
        )
    start = _aware(value.get("start"), f"{name}.start")
    end = None if value.get("end") is None else _aware(value["end"], f"{name}.end")
    if end is not None and end <= start:
        raise LiveError(f"{name}.end", f"{end.isoformat()} is not after the start")
    stream = _url(value["stream"], f"{name}.stream")
    kind = value.get("type")
    if not isinstance(kind, str) or not _MEDIA_TYPE.match(kind.strip()):
        raise LiveError(
            f"{name}.type",
            f"expected the stream's media type, like audio/mpeg or video/mp4, got {_short(kind)}",
        )
    url = None if value.get("url") is None else _url(value["url"], f"{name}.url")
    return LiveStream(start, end, stream, kind.strip(), url)


def _aware(value: Any, part: str) -> datetime:
    """A date and time with its timezone: a YAML timestamp or ISO 8601 text."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = datetime.fromisoformat(value.strip())
    if not isinstance(value, datetime):
        raise LiveError(part, f"expected a date and time {_EXAMPLE}, got {_short(value)}")
    if value.utcoffset() is None:
        raise LiveError(part, f"{value.isoformat()} has no timezone; write it {_EXAMPLE}")
    return value


def _url(value: Any, part: str) -> str:
    if not isinstance(value, str) or not HTTP_URL.match(value.strip()):
        raise LiveError(part, f"expected an http(s) URL, got {_short(value)}")
    return value.strip()


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
