"""The scheduler: many URLs checked at once, politely, each once, with retries.

Workers take the next job from a host that has a free slot and whose minimum interval has
passed, so one slow or strict host never holds the others up. A job to retry goes back with a
time before which it may not run (exponential backoff with jitter, or the server's
``Retry-After`` up to a cap); a host answering 429 pauses and slows down for the rest of the run.
"""

from __future__ import annotations

import heapq
import itertools
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import safety
from .check import Checker, host_key
from .policy import Settings
from .probe import Attempt
from .types import Link, LinkResult, Status

if TYPE_CHECKING:  # sqlite3 is imported only when a cache is used
    from .cache import Cache

Progress = Callable[[int, int], None]
_NOT_CHECKED = ("mailto", "tel", "sms", "news", "irc")


def check_key(url: str) -> str:
    """What decides that two URLs are the same check: no fragment; no YouTube ``t=``."""
    parts = urlsplit(url.strip())
    query = parts.query
    host = (parts.hostname or "").lower()
    if host.endswith("youtube.com") or host == "youtu.be":
        query = urlencode(
            [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in ("t", "start")]
        )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))


@dataclass
class _Job:
    key: str
    url: str
    tries: int = 0
    started: float = 0.0
    #: a first-hop HEAD 404/410 waiting to be believed or confirmed (``Checker.attempt``)
    head_status: int | None = None


@dataclass
class _Host:
    concurrency: int
    interval: float
    active: int = 0
    next_start: float = 0.0
    queue: deque[_Job] = field(default_factory=deque)
    throttled: int = 0


class Engine:
    def __init__(
        self, settings: Settings, cache: Cache | None = None, progress: Progress | None = None
    ):
        self.settings = settings
        self.cache = cache
        self.progress = progress
        self._include = [re.compile(p) for p in settings.include]
        self._exclude = [re.compile(p) for p in settings.exclude]
        self._guard = safety.Guard(
            settings.allow_private,
            settings.allow_private_hosts,
            tuple(sorted(settings.resolve.items())),
        )

    def prefilter(self, url: str) -> Attempt | None:
        """A result without any request: excluded by pattern or scheme, or refused."""
        for pattern in self._exclude:
            if pattern.search(url):
                return Attempt(Status.EXCLUDED, f"matches exclude pattern {pattern.pattern!r}")
        if self._include and not any(p.search(url) for p in self._include):
            return Attempt(Status.EXCLUDED, "matches no include pattern")
        scheme = urlsplit(url).scheme.lower()
        if scheme in _NOT_CHECKED:
            return Attempt(Status.EXCLUDED, f"{scheme}: links are not checked")
        try:
            safety.check_scheme(url)
        except safety.Refused as exc:
            return Attempt(Status.BROKEN, str(exc))
        if not urlsplit(url).hostname:
            return Attempt(Status.BROKEN, "invalid URL: no host name")
        return None

    def run(self, links: Iterable[Link]) -> list[LinkResult]:
        links = list(links)
        by_key: dict[str, list[Link]] = {}
        for link in links:
            by_key.setdefault(check_key(link.url), []).append(link)
        outcomes: dict[str, tuple[Attempt, float, bool]] = {}
        todo: list[_Job] = []
        for key, group in by_key.items():
            early = self.prefilter(group[0].url)
            if early is not None:
                outcomes[key] = (early, 0.0, False)
                continue
            cached = self.cache.get(key, self.settings.max_age) if self.cache else None
            if cached is not None:
                outcomes[key] = (cached, 0.0, True)
                continue
            todo.append(_Job(key, group[0].url))
        if todo:
            outcomes.update(self._check_all(todo, done_before=len(outcomes), total=len(by_key)))
        if self.cache:
            self.cache.put_many((k, a) for k, (a, _, cached) in outcomes.items() if not cached)
        results = []
        for key, group in by_key.items():
            attempt, elapsed, cached = outcomes[key]
            for link in group:
                results.append(
                    LinkResult(
                        link.url,
                        link.sources,
                        attempt.status or Status.BROKEN,
                        attempt.detail,
                        attempt.http_status,
                        attempt.final_url,
                        elapsed,
                        cached,
                    )
                )
        return results

    # -- scheduling ------------------------------------------------------------------------

    def _check_all(
        self, jobs: list[_Job], done_before: int, total: int
    ) -> dict[str, tuple[Attempt, float, bool]]:
        settings = self.settings
        hosts: dict[str, _Host] = {}
        for job in jobs:
            key = host_key(job.url)
            if key not in hosts:
                rule = settings.rule(urlsplit(job.url).hostname or "")
                hosts[key] = _Host(rule.concurrency, rule.interval)
            hosts[key].queue.append(job)
        waiting: list[tuple[float, int, str, _Job]] = []
        counter = itertools.count()
        results: dict[str, tuple[Attempt, float, bool]] = {}
        cond = threading.Condition()
        remaining = [len(jobs)]
        order = list(hosts)
        turn = [0]

        checker = Checker(settings, safety.session(settings.concurrency))

        def take() -> tuple[str, _Job] | None:
            with cond:
                while True:
                    if remaining[0] == 0:
                        return None
                    now = time.monotonic()
                    while waiting and waiting[0][0] <= now:
                        _, _, hkey, job = heapq.heappop(waiting)
                        hosts[hkey].queue.append(job)
                    soonest = waiting[0][0] if waiting else now + 1.0
                    for i in range(len(order)):
                        hkey = order[(turn[0] + i) % len(order)]
                        host = hosts[hkey]
                        while host.queue and host.queue[0].head_status is not None:
                            job = host.queue[0]
                            settled = checker.settled(job.url, job.head_status)
                            if settled is None:
                                break
                            host.queue.popleft()  # believed: no request, no slot, no interval
                            finish(job, settled, now)
                        if remaining[0] == 0:
                            cond.notify_all()
                            return None
                        if not host.queue or host.active >= host.concurrency:
                            continue
                        if host.next_start > now:
                            soonest = min(soonest, host.next_start)
                            continue
                        turn[0] = (turn[0] + i + 1) % len(order)
                        host.active += 1
                        host.next_start = now + host.interval
                        return hkey, host.queue.popleft()
                    cond.wait(timeout=max(0.001, min(soonest - now, 1.0)))

        def finish(job: _Job, attempt: Attempt, now: float) -> None:  # with ``cond`` held
            results[job.key] = (self._final(attempt, job.tries), now - job.started, False)
            remaining[0] -= 1
            if self.progress:
                self.progress(done_before + len(results), total)

        def worker() -> None:
            safety.set_guard(self._guard)
            while True:
                got = take()
                if got is None:
                    return
                hkey, job = got
                if not job.started:
                    job.started = time.monotonic()
                try:
                    attempt = checker.check(job.url, job.head_status)
                except Exception as exc:  # never let one URL stop the run
                    attempt = Attempt(Status.BROKEN, f"checker error: {type(exc).__name__}: {exc}")
                with cond:
                    host = hosts[hkey]
                    host.active -= 1
                    now = time.monotonic()
                    if attempt.retry == "confirm":
                        # to the back of its host's queue: asked again once the host's other
                        # links have shown whether it answers HEAD properly
                        job.head_status = attempt.http_status
                        host.queue.append(job)
                    elif attempt.status is None and job.tries < settings.retries:
                        delay = self._delay(job.tries, attempt, host, now)
                        job.tries += 1
                        heapq.heappush(waiting, (now + delay, next(counter), hkey, job))
                    else:
                        finish(job, attempt, now)
                    if remaining[0] == 0:
                        cond.notify_all()
                    else:
                        cond.notify()

        count = max(1, min(settings.concurrency, len(jobs)))
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        checker.session.clear()
        return results

    def _delay(self, tries: int, attempt: Attempt, host: _Host, now: float) -> float:
        """Seconds before the next try; a rate-limited host also pauses and slows down."""
        backoff = self.settings.backoff * (2**tries) * random.uniform(0.5, 1.5)
        if attempt.retry == "429":
            host.throttled += 1
            wait = attempt.retry_after if attempt.retry_after is not None else backoff
            host.next_start = max(host.next_start, now + wait)
            if host.throttled >= 2:
                host.interval = min(max(host.interval * 2, 0.5), self.settings.retry_after_cap)
                host.concurrency = 1
            return wait
        if attempt.retry_after is not None:
            return attempt.retry_after
        return backoff

    @staticmethod
    def _final(attempt: Attempt, tries: int) -> Attempt:
        if attempt.status is not None:
            return attempt
        after = f" after {tries + 1} tries" if tries else ""
        if attempt.retry == "timeout":
            return replace(attempt, status=Status.TIMEOUT, detail=attempt.detail + after)
        if attempt.retry == "429":
            return replace(
                attempt, status=Status.UNVERIFIABLE, detail="still rate limited (HTTP 429)" + after
            )
        return replace(attempt, status=Status.BROKEN, detail=attempt.detail + after)
