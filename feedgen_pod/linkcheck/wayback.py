"""A replacement for a dead link, chosen from the Wayback Machine as a careful person would.

The CDX API lists a URL's captures. Only HTML captures that were a 200 are asked for
(``filter=statuscode:200``, ``filter=mimetype:text/html``), one a day at most, within a year
of the date of the episode that links to it (else of the day the link was last seen working,
else any date). A capture with substance is preferred over a near-empty one (a stub, a cookie
wall or an error page that answered 200): among the captures at least a quarter the size of
the largest (and 1 KB), the one nearest that date wins. When the year holds none, every date
is asked once more.

The Archive allows 24 CDX requests a minute and blocks an address that asks faster;
``net.limiter.Limiter`` keeps every request under ``links.archive_limit`` (no retries, no
redirects: each try would be one more request), and every answer is kept in the cache for
``ANSWER_DAYS``. After a 429 the Archive is not asked again in the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import orjson

from ..net import NetError
from ..net.limiter import Limiter
from .cache import Cache
from .policy import Settings
from .types import Suggestion

if TYPE_CHECKING:  # the client's module imports requests: only when a request is made
    from ..net import Client

#: days a CDX answer is reused from the cache
ANSWER_DAYS = 30
#: a capture smaller than this (bytes, as the CDX lists it: compressed) is near-empty
MIN_SUBSTANCE = 1024
#: ... and so is one smaller than this share of the largest capture
SHARE_OF_LARGEST = 0.25
_FIELDS = "timestamp,original,mimetype,statuscode,length"


@dataclass(frozen=True)
class Capture:
    timestamp: str
    original: str
    length: int

    @property
    def day(self) -> date:
        return datetime.strptime(self.timestamp[:8], "%Y%m%d").replace(tzinfo=timezone.utc).date()


def parse(answer: bytes) -> list[Capture]:
    """The captures in a CDX JSON answer (a header row, then one row per capture)."""
    try:
        rows = orjson.loads(answer)
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], list):
        return []
    header = rows[0]
    out = []
    for row in rows[1:]:
        if not isinstance(row, list) or len(row) != len(header):
            continue
        item = dict(zip(header, row))
        stamp = str(item.get("timestamp", ""))
        if len(stamp) < 8 or not stamp.isdigit():
            continue
        if item.get("statuscode") not in (None, "200") or "html" not in item.get(
            "mimetype", "html"
        ):
            continue
        try:
            length = int(item.get("length") or 0)
        except ValueError:
            length = 0
        out.append(Capture(stamp, str(item.get("original") or ""), length))
    return out


def choose(captures: list[Capture], near: date | None) -> Capture | None:
    """The capture with substance nearest ``near`` (the newest when None)."""
    if not captures:
        return None
    largest = max(c.length for c in captures)
    floor = max(MIN_SUBSTANCE, largest * SHARE_OF_LARGEST)
    solid = [c for c in captures if c.length >= floor]
    if not solid:
        return None
    if near is None:
        return max(solid, key=lambda c: c.timestamp)
    return min(solid, key=lambda c: (abs((c.day - near).days), c.timestamp))


class Archive:
    """Asks the CDX API (politely, through the cache) for replacements."""

    def __init__(
        self, client: Client, settings: Settings, cache: Cache | None, limiter: Limiter
    ) -> None:
        self.client = client
        self.root = settings.archive_api
        self.cache = cache
        self.limiter = limiter
        #: CDX requests sent in this run
        self.asked = 0
        #: why the Archive is not asked any more in this run ("" while it is)
        self.stopped = ""

    def _cdx(self, params: dict[str, str]) -> list[Capture] | None:
        """The captures a CDX query lists; None when the Archive could not be asked."""
        query = [("url", params["url"]), ("output", "json"), ("fl", _FIELDS)]
        query += [("filter", "statuscode:200"), ("filter", "mimetype:text/html")]
        query += [(k, v) for k, v in params.items() if k != "url"]
        endpoint = f"{self.root}/cdx/search/cdx?{urlencode(query)}"
        if self.cache is not None:
            kept = self.cache.answer(endpoint, ANSWER_DAYS * 86400)
            if kept is not None:
                return parse(kept)
        if self.stopped:
            return None
        self.asked += 1
        try:
            with self.limiter:
                answer = self.client.request(
                    "GET", endpoint, follow_redirects=False, max_bytes=5_000_000, retries=0
                )
        except NetError as exc:
            self.stopped = f"the Wayback Machine is unreachable ({exc.kind})"
            return None
        if answer.status == 429:
            self.stopped = "the Wayback Machine asks us to slow down (HTTP 429)"
            return None
        if answer.status != 200:
            return None
        if self.cache is not None:
            self.cache.keep_answer(endpoint, answer.content)
        return parse(answer.content)

    def suggest(self, url: str, near: date | None) -> Suggestion | None:
        """An archived copy of ``url`` to link instead, or None."""
        windows: list[dict[str, str]] = []
        if near is not None:
            start, end = near - timedelta(days=365), near + timedelta(days=365)
            windows.append({"from": start.strftime("%Y%m%d"), "to": end.strftime("%Y%m%d")})
        windows.append({})
        for window in windows:
            captures = self._cdx({"url": url, "collapse": "timestamp:8", **window})
            if captures is None:
                return None
            found = choose(captures, near)
            if found is not None:
                original = found.original or url
                return Suggestion(
                    f"{self.root}/web/{found.timestamp}/{original}", found.timestamp, found.length
                )
        return None
