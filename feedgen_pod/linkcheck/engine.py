"""One check run: each URL once (same check key), excluded or refused ones without a request,
good cached results reused, the rest handed to the scheduler at once, hosts taken in turn.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..net import NetPolicy, clean_text
from .artwork import COVER, role_of
from .check import host_key
from .policy import Settings, net_policy
from .probe import NO_HOST, OFFLINE, Attempt, hostname, refused_scheme
from .schedule import Job, Progress, Scheduler
from .types import Link, LinkResult, Status

if TYPE_CHECKING:  # sqlite3 only when a cache is used; requests only when a request is made
    from ..net import Client
    from .cache import Cache

_NOT_CHECKED = ("mailto", "tel", "sms", "news", "irc")


def check_key(url: str) -> str:
    """What decides that two URLs are the same check: no fragment; no YouTube ``t=``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. a broken IPv6 literal: ``prefilter`` reports it
        return url.strip()
    query = parts.query
    host = (parts.hostname or "").lower()
    if host.endswith("youtube.com") or host == "youtu.be":
        query = urlencode(
            [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in ("t", "start")]
        )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))


#: an http(s) URL that ``urlsplit`` takes apart as it reads, with a lowercase scheme and host,
#: no fragment, no empty query and nothing to strip: its check key is itself (``_simple``)
_SIMPLE = re.compile(r"(https?)://([a-z0-9.-]+)(?::([0-9]{1,5}))?(?:/[^\s?#]*)?(?:\?[^\s#]+)?")


def _simple(url: str) -> str | None:
    """``host_key(url)`` of a URL whose check key is itself and which ``prefilter`` lets through
    but for its patterns, found by one match (most links); None for any other URL, to go the
    long way (``check_key``, ``prefilter``, ``host_key`` agree with this: tested)."""
    match = _SIMPLE.fullmatch(url)
    if match is None:
        return None
    host = match.group(2)
    if host.endswith("youtube.com") or host == "youtu.be":
        return None
    port = int(match.group(3) or 0)
    return f"{host}:{port if 0 < port <= 65535 else ''}"


class Engine:
    """``client``: the network client every request goes through (one of its own, from
    ``policy``, when None); ``policy``: how the network is reached (default: from
    ``settings``), as the command sets it with ``--timeout``, ``--allow-private`` and the
    ``network:`` section."""

    def __init__(
        self,
        settings: Settings,
        cache: Cache | None = None,
        progress: Progress | None = None,
        client: Client | None = None,
        policy: NetPolicy | None = None,
    ):
        self.settings = settings
        self.cache = cache
        self.progress = progress
        #: the network client of every request (the scheduler makes one from ``policy`` if None)
        self.client = client
        self._include = [re.compile(p) for p in settings.include]
        self._exclude = [re.compile(p) for p in settings.exclude]
        self.policy = policy or net_policy(settings)
        #: True after a run in which no link could reach the network at all (``offline``)
        self.offline = False
        #: check key → result decided without the network (excluded, refused, cached)
        self._outcomes: dict[str, tuple[Attempt, float, bool]] = {}
        #: check key → its job, for every key handed to the scheduler
        self._jobs: dict[str, Job] = {}
        #: URL → its artwork role, for the URLs that hold a cover or a picture
        self._artwork: dict[str, str] = {}
        self._scheduler: Scheduler | None = None

    def _patterns(self, url: str) -> Attempt | None:
        """Excluded by an exclude pattern, or by not matching any include pattern."""
        for pattern in self._exclude:
            if pattern.search(url):
                return Attempt(Status.EXCLUDED, f"matches exclude pattern {pattern.pattern!r}")
        if self._include and not any(p.search(url) for p in self._include):
            return Attempt(Status.EXCLUDED, "matches no include pattern")
        return None

    def prefilter(self, url: str) -> Attempt | None:
        """A result without any request: excluded by pattern or scheme, or refused."""
        excluded = self._patterns(url)
        if excluded is not None:
            return excluded
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            return Attempt(Status.BROKEN, f"invalid URL: {exc}", kind="invalid-url")
        scheme = parts.scheme.lower()
        if scheme in _NOT_CHECKED:
            return Attempt(Status.EXCLUDED, f"{scheme}: links are not checked")
        refused = refused_scheme(url)
        if refused:
            return Attempt(Status.BROKEN, refused, kind="scheme-refused")
        if not parts.hostname:
            return Attempt(Status.BROKEN, "invalid URL: no host name", kind="invalid-url")
        return None

    def stop(self) -> None:
        """Abandon a run that will not end normally: nothing queued is asked any more."""
        if self._scheduler is not None:
            self._scheduler.cancel()
            self._scheduler.close()

    def _queue(self, urls: list[str], indices: list[int], keys: list[str]) -> None:
        """Set ``keys[i]`` to the check key of ``urls[i]`` for each index, in that order; a
        key not seen before is decided at once (excluded, refused, cached) or queued."""
        outcomes, jobs = self._outcomes, self._jobs
        fresh: list[Job] = []
        for i in indices:
            url = urls[i]
            host = _simple(url)
            key = keys[i] = url if host is not None else check_key(url)
            if key in outcomes or key in jobs:
                continue
            early = self.prefilter(url) if host is None else self._patterns(url)
            role = self._artwork.get(url)
            cached = None
            if early is None and self.cache and role is None:  # artwork is read every time
                cached = self.cache.get(key, self.settings.max_age)
            if early is not None:
                outcomes[key] = (early, 0.0, False)
                continue
            if cached is not None:
                outcomes[key] = (cached, 0.0, True)
                continue
            job = jobs[key] = Job(key, url, host if host is not None else host_key(url), role)
            fresh.append(job)
        scheduler = self._scheduler
        if scheduler is None:
            scheduler = self._scheduler = Scheduler(
                self.settings, self.policy, self.progress, self.client
            )
        scheduler.decided = len(outcomes)
        scheduler.known = len(outcomes) + len(jobs)
        if fresh:
            scheduler.add(fresh)

    def run(self, links: Iterable[Link]) -> list[LinkResult]:
        """Every link's result, in the order given."""
        links = list(links)
        urls = [link.url for link in links]
        keys = [""] * len(urls)
        by_key: dict[str, list[Link]] = {}
        for link in links:
            role = role_of(link.sources)
            if role is not None and self._artwork.get(link.url) != COVER:
                self._artwork[link.url] = role
        try:
            self._queue(urls, _hosts_in_turn(urls), keys)
            outcomes = dict(self._scheduler.wait()) if self._scheduler is not None else {}
        except BaseException:
            self.stop()
            raise
        for link, key in zip(links, keys):
            by_key.setdefault(key, []).append(link)
        self.offline = network_unreachable(
            [(job.url, outcomes[k][0]) for k, job in self._jobs.items() if k in outcomes]
        )
        outcomes.update((k, v) for k, v in self._outcomes.items() if k in by_key)
        if self.cache and not self.offline:  # what the network could not answer is no result
            self.cache.put_many(
                (k, a) for k, (a, _, cached) in outcomes.items() if not cached and a.kind != OFFLINE
            )
        results: list[LinkResult] = []
        for key, group in by_key.items():
            attempt, elapsed, cached = outcomes[key]
            status = attempt.status or Status.BROKEN
            results.extend(
                LinkResult(
                    link.url,
                    link.sources,
                    status,
                    clean_text(attempt.detail),  # a server's words, safe for any report
                    attempt.http_status,
                    attempt.final_url and clean_text(attempt.final_url),
                    elapsed,
                    cached,
                    attempt.kind,
                )
                for link in group
            )
        return results


def _hosts_in_turn(urls: list[str]) -> list[int]:
    """Indices of ``urls`` taking their hosts in turn, so the first requests reach every
    host at once (links come sorted by URL: one host's hundred links would go first)."""
    by_host: dict[str, list[int]] = {}
    for i, url in enumerate(urls):
        parts = url.split("/", 3)
        by_host.setdefault(parts[2].lower() if len(parts) > 2 else "", []).append(i)
    turns = itertools.zip_longest(*by_host.values())
    return [i for turn in turns for i in turn if i is not None]


def network_unreachable(asked: list[tuple[str, Attempt]]) -> bool:
    """No link that went to the network reached it: the machine is offline, not the links dead.

    Either the resolver or the route said so, or not one of two or more hosts has a name that
    resolves (a resolver that answers "no such name" for everything, as offline sandboxes do);
    one dead domain among hosts that resolve is that link's fault.
    """
    if not asked or not all(a.kind in (OFFLINE, NO_HOST) for _, a in asked):
        return False
    hosts = {hostname(url) for url, _ in asked}
    return any(a.kind == OFFLINE for _, a in asked) or len(hosts) > 1
