"""Tell apps at once that the feed changed: WebSub hubs, Podping, pubnotify-style endpoints.

Apps otherwise learn of a new episode when they next poll the feed. After a publish that sent a
changed ``feed.xml``, each endpoint the ``publish:`` settings name gets one request:

* a WebSub hub: ``POST`` form ``hub.mode=publish&hub.url=<feed_url>``;
* Podping: ``GET <podping_url>?url=<feed_url>&reason=<reason>&medium=<medium>`` with
  ``Authorization: <token>``, the token read only from the ``PODPING_TOKEN`` environment
  variable (a secret kept out of config files and command lines, which end up in shells'
  histories and repositories);
* every ``notify_urls`` endpoint: ``GET <url>?url=<feed_url>``.

Each request is bounded: a timeout, at most ``Bounds.attempts`` tries, retried only on a 5xx or
429 answer or a failed connection, waiting ``backoff`` doubled each time or the answer's
``Retry-After``, never longer than ``max_wait``. A 2xx answer is success. The outcome of each
is an ``Answer``, a value: a failed notification is reported, never raised, and never undoes
or repeats the upload.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import requests
from lxml import etree

from .. import __version__
from ..errors import ConfigError
from ..model import PublishSettings

LIVE_ITEM = "{https://podcastindex.org/namespace/1.0}liveItem"

#: the only place the Podping token is read from
PODPING_TOKEN = "PODPING_TOKEN"
#: Podping's ``reason``: ``update`` for a changed feed, ``live`` when a live item starts
REASONS = ("update", "live", "liveEnd")
USER_AGENT = f"feedgen-pod/{__version__} (+https://podcastindex.org/namespace/1.0)"
#: how much of an answer's body a report shows
DETAIL_BYTES = 300


@dataclass(frozen=True)
class Bounds:
    """How long and how often one endpoint is tried."""

    timeout: float = 10.0
    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 30.0


#: the bounds ``send_all`` uses unless told otherwise
BOUNDS = Bounds()


@dataclass(frozen=True)
class Notice:
    """One request to send; ``headers`` may hold a secret and are never printed."""

    kind: str  # "WebSub hub", "Podping", "notify URL"
    method: str
    url: str
    params: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    notice: Notice
    status: int | None  # None: no HTTP answer (connection failed, timed out)
    detail: str
    attempts: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        """``Podping https://podping.cloud/: 401 Unauthorized: bad token (1 attempt)``."""
        tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        return f"{self.notice.kind} {self.notice.url}: {self.detail} ({tries})"


def podping_token() -> str | None:
    return os.environ.get(PODPING_TOKEN, "").strip() or None


def podping_reason(old_feed: bytes | None, new_feed: bytes) -> str:
    """Podping's ``reason`` for a feed going from ``old_feed`` (as published; None when there
    was none) to ``new_feed``: ``live`` when a ``podcast:liveItem`` turned live, ``liveEnd``
    when one that was live ended, else ``update``."""
    before, after = _live_statuses(old_feed), _live_statuses(new_feed)
    if any(status == "live" and before.get(guid) != "live" for guid, status in after.items()):
        return "live"
    if any(status == "live" and after.get(guid) == "ended" for guid, status in before.items()):
        return "liveEnd"
    return "update"


def _live_statuses(feed: bytes | None) -> dict[str, str]:
    """Each live item's guid → its status; nothing for a missing or unreadable feed."""
    if not feed:
        return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(feed, parser)
    except etree.XMLSyntaxError:
        return {}
    return {item.findtext("guid") or "": item.get("status", "") for item in root.iter(LIVE_ITEM)}


def notices(
    settings: PublishSettings, feed_url: str, medium: str, reason: str = "update"
) -> list[Notice]:
    """The requests that announce a change of ``feed_url``; a ``ConfigError`` when Podping is
    on without its token (checked before anything is uploaded, so the change can still be
    announced once the token is set)."""
    if reason not in REASONS:
        raise ValueError(f"Podping reason must be one of {', '.join(REASONS)}, got {reason!r}")
    out = [
        Notice("WebSub hub", "POST", hub, form=(("hub.mode", "publish"), ("hub.url", feed_url)))
        for hub in settings.websub_hubs
    ]
    if settings.podping:
        token = podping_token()
        if token is None:
            raise ConfigError(
                f"publish.podping is on but the environment variable {PODPING_TOKEN} is not "
                "set: set it to your Podping token (or pass --no-notify)"
            )
        params = (("url", feed_url), ("reason", reason), ("medium", medium))
        out.append(
            Notice(
                "Podping", "GET", settings.podping_url, params, headers=(("Authorization", token),)
            )
        )
    out += [Notice("notify URL", "GET", url, (("url", feed_url),)) for url in settings.notify_urls]
    return out


def send_all(
    todo: Sequence[Notice],
    bounds: Bounds | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Answer]:
    """Each notice sent (with its retries) once, in order."""
    with requests.Session() as session:
        session.headers["User-Agent"] = USER_AGENT
        return [send(session, notice, bounds or BOUNDS, sleep) for notice in todo]


def send(
    session: requests.Session,
    notice: Notice,
    bounds: Bounds,
    sleep: Callable[[float], None] = time.sleep,
) -> Answer:
    for attempt in range(1, bounds.attempts + 1):
        wait = bounds.backoff * 2 ** (attempt - 1)
        try:
            response = session.request(
                notice.method,
                notice.url,
                params=notice.params or None,
                data=notice.form or None,
                headers=dict(notice.headers),
                timeout=bounds.timeout,
                stream=True,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            status, detail, retry = None, _reason(exc), True
        except requests.RequestException as exc:
            return Answer(notice, None, _reason(exc), attempt)
        else:
            with response:
                status, detail = response.status_code, _detail(response)
            if 200 <= status < 300:
                return Answer(notice, status, detail, attempt)
            retry = status >= 500 or status == 429
            asked = _retry_after(response.headers.get("Retry-After"))
            wait = wait if asked is None else asked
        if not retry or attempt == bounds.attempts:
            return Answer(notice, status, detail, attempt)
        sleep(min(wait, bounds.max_wait))
    raise AssertionError("unreachable: attempts must be at least 1")


def _detail(response: requests.Response) -> str:
    """``503 Service Unavailable: <the start of the body>``, on one line."""
    body = next(response.iter_content(DETAIL_BYTES), b"").decode("utf-8", "replace")
    text = " ".join(body.split())
    head = f"{response.status_code} {response.reason or ''}".strip()
    return f"{head}: {text}" if text else head


def _reason(exc: Exception) -> str:
    """Why no answer came: requests' message, whose last part names the cause."""
    kind = "timed out" if isinstance(exc, requests.Timeout) else "no answer"
    text = " ".join(str(exc).split())
    return f"{kind}: {text[-200:]}"


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` asks for (delta seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())
