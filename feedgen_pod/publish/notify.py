"""Tell apps at once that the feed changed: WebSub hubs, Podping, pubnotify-style endpoints.

Apps otherwise learn of a new episode when they next poll the feed. After a publish that sent a
changed ``feed.xml``, each endpoint the ``publish:`` settings name gets one request:

* a WebSub hub: ``POST`` form ``hub.mode=publish&hub.url=<feed_url>``;
* Podping: ``GET <podping_url>?url=<feed_url>&reason=<reason>&medium=<medium>`` with
  ``Authorization: <token>``, the token read only from the ``PODPING_TOKEN`` environment
  variable (a secret kept out of config files and command lines, which end up in shells'
  histories and repositories);
* every ``notify_urls`` endpoint: ``GET <url>?url=<feed_url>``.

Each endpoint is asked through the network client, under one deadline (``--timeout``, else
``network.timeout``) that covers its retries: at most ``Bounds.attempts`` tries, again only
after a 429 or 503 answer or a failed connection, waiting ``backoff`` doubled each time or the
answer's ``Retry-After``, never longer than ``max_wait``. The configured endpoints may be
private or loopback addresses (they are the user's choice); a redirect may not lead to another
such address, and a 307/308 re-sends a hub's POST to its own origin only. A 2xx answer is
success. The outcome of each is an ``Answer``, a value: every endpoint is tried whatever the
others did, a failed notification is reported, never raised, and never undoes or repeats the
upload. What a server answered is shown only when the endpoint itself answered (not a server
it redirected to), cleaned of control characters.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from lxml import etree

from .. import __version__
from ..errors import ConfigError
from ..model import PublishSettings
from ..net import Client, NetError, NetPolicy, Response, one_line

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
    todo: Sequence[Notice], bounds: Bounds | None = None, policy: NetPolicy | None = None
) -> list[Answer]:
    """Each notice sent (with its retries) once, in order. ``policy``: the command's network
    settings (its deadline wins over ``bounds.timeout``); each endpoint's own address is
    allowed although private."""
    bounds = bounds or BOUNDS
    policy = policy or NetPolicy(timeout=bounds.timeout)
    endpoints = frozenset(_host_port(notice.url) for notice in todo)
    policy = replace(
        policy,
        allow_hosts=policy.allow_hosts | endpoints,
        retries=max(bounds.attempts - 1, 0),
        backoff=bounds.backoff,
        retry_after_cap=bounds.max_wait,
        user_agent=USER_AGENT,
        max_bytes=1_000_000,
    )
    with Client(policy) as client:
        return [send(client, notice) for notice in todo]


def send(client: Client, notice: Notice) -> Answer:
    """One notice, with the client's retries; a failure is an ``Answer`` too."""
    try:
        response = client.request(
            notice.method,
            notice.url,
            params=notice.params or None,
            data=notice.form or None,
            headers=dict(notice.headers),
        )
    except NetError as exc:
        said = exc.message
        if exc.url.startswith(notice.url):  # the line names the endpoint already
            said = said.removeprefix(f"{exc.url}: ")
        what = _FAILED.get(exc.kind, "bad answer")
        return Answer(notice, None, f"{what}: {said}", exc.attempts)
    return Answer(notice, response.status, _detail(notice, response), response.attempts)


#: what each kind of failure is called in a notification's line
_FAILED = {
    "timeout": "timed out",
    "connect": "no answer",
    "offline": "no answer",
    "dns": "no answer",
    "tls": "no answer",
    "refused-address": "refused",
    "bad-scheme": "refused",
    "too-many-redirects": "refused",
}


def _host_port(url: str) -> str:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def _detail(notice: Notice, response: Response) -> str:
    """``503 Service Unavailable: <the start of the body>``, on one line; the body only when
    the endpoint's own origin answered (a redirect's target may be a service whose answers
    are nobody's business)."""
    head = f"{response.status} {response.reason}".strip()
    if _host_port(response.url) != _host_port(notice.url) or (response.ok and not response.content):
        return head
    text = one_line(response.content[:DETAIL_BYTES].decode("utf-8", "replace"), DETAIL_BYTES)
    return f"{head}: {text}" if text else head
