"""The scheduler: many URLs checked at once, politely, each once, with retries.

Workers take the next job from a host that has a free slot and whose minimum interval has
passed, so one slow or strict host never holds the others up. A job to retry goes back with a
time before which it may not run (exponential backoff with jitter, or the server's
``Retry-After`` up to a cap); a host answering 429 pauses and slows down for the rest of the run.

Jobs are queued whole (``add``) before the workers they need start, up to the global limit.
A run that is abandoned (``cancel``) asks nothing more of what is still queued.
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from urllib.parse import urlsplit

from ..net import Client, NetPolicy
from .check import Checker
from .policy import Settings
from .probe import Attempt
from .types import Status

#: called with (links decided, links known so far)
Progress = Callable[[int, int], None]


class Job:
    """One URL to check (plain classes here: dataclasses cost start-up time to define)."""

    __slots__ = ("artwork", "head_status", "host", "key", "started", "tries", "url")

    def __init__(self, key: str, url: str, host: str = "", artwork: str | None = None):
        self.key = key
        self.url = url
        #: the artwork role (``artwork.COVER``, ``PICTURE``) when the URL holds an image
        self.artwork = artwork
        #: ``check.host_key`` of ``url``: the queue, limits and interval it goes by
        self.host = host
        self.tries = 0
        self.started = 0.0
        #: a first-hop HEAD 404/410 waiting to be believed or confirmed (``Checker.attempt``)
        self.head_status: int | None = None


class _Host:
    __slots__ = ("active", "concurrency", "interval", "next_start", "queue", "throttled")

    def __init__(self, concurrency: int, interval: float):
        self.concurrency = concurrency
        self.interval = interval
        self.active = 0
        self.next_start = 0.0
        self.queue: deque[Job] = deque()
        self.throttled = 0


class Scheduler:
    """``add`` jobs (as often as they come), then ``wait`` for key → (attempt, seconds, False)."""

    def __init__(
        self,
        settings: Settings,
        policy: NetPolicy,
        progress: Progress | None = None,
        client: Client | None = None,
    ):
        self.settings = settings
        self.progress = progress
        self.results: dict[str, tuple[Attempt, float, bool]] = {}
        self._hosts: dict[str, _Host] = {}
        self._order: list[str] = []
        self._turn = 0
        self._waiting: list[tuple[float, int, str, Job]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition(threading.RLock())
        self._remaining = 0
        #: jobs added so far
        self._added = 0
        self._closed = False
        self._workers = 0
        #: set when the last result is in (or on a crash)
        self._done = threading.Event()
        self._crash: BaseException | None = None
        #: the client of every request: the one given, or one of the run's own (closed at the end)
        self._own_client = client is None
        self._client = client if client is not None else Client(policy)
        self._checker = Checker(settings, self._client)
        #: links decided before or without the network, and all to decide (for progress)
        self.decided = 0
        self.known = 0

    def add(self, jobs: Iterable[Job]) -> None:
        """Queue ``jobs`` by host (their order kept within a host) and start the workers they
        need; may be called again while the run goes on, until ``wait``."""
        with self._cond:
            if self._closed:
                raise RuntimeError("jobs added after wait()")
            for job in jobs:
                host = self._hosts.get(job.host)
                if host is None:
                    rule = self.settings.rule(urlsplit(job.url).hostname or "")
                    host = self._hosts[job.host] = _Host(rule.concurrency, rule.interval)
                    self._order.append(job.host)
                host.queue.append(job)
                self._remaining += 1
                self._added += 1
            # workers do not leave before ``wait``: one for every job so far, up to the limit
            more = min(self.settings.concurrency, self._added) - self._workers
            self._workers += more
            self._cond.notify_all()
        for _ in range(more):
            threading.Thread(target=self._run_worker, name="linkcheck", daemon=True).start()

    def cancel(self) -> None:
        """Abandon the run: what is queued or waiting to retry is never asked; requests in
        flight end on their own."""
        with self._cond:
            self._remaining -= sum(len(h.queue) for h in self._hosts.values()) + len(self._waiting)
            for host in self._hosts.values():
                host.queue.clear()
            self._waiting.clear()
            self._cond.notify_all()

    def close(self) -> None:
        """No more jobs: workers end when the last one is decided."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            if self._remaining == 0:
                self._done.set()

    def wait(self) -> dict[str, tuple[Attempt, float, bool]]:
        """Every job's result, as soon as the last is in (idle workers have left already; the
        last few leave on their own, no need to wait for them)."""
        self.close()
        self._done.wait()
        if self._own_client:
            self._client.close()
        if self._crash is not None:
            raise RuntimeError("a link-check worker failed") from self._crash
        return self.results

    # -- workers ---------------------------------------------------------------------------

    def _take(self) -> tuple[str, Job] | None:
        cond, hosts, order = self._cond, self._hosts, self._order
        with cond:
            while True:
                if self._remaining == 0 and self._closed:
                    return None
                now = time.monotonic()
                while self._waiting and self._waiting[0][0] <= now:
                    _, _, hkey, job = heapq.heappop(self._waiting)
                    hosts[hkey].queue.append(job)
                soonest = self._waiting[0][0] if self._waiting else now + 1.0
                for i in range(len(order)):
                    hkey = order[(self._turn + i) % len(order)]
                    host = hosts[hkey]
                    while host.queue and (status := host.queue[0].head_status) is not None:
                        job = host.queue[0]
                        settled = self._checker.settled(job.url, status)
                        if settled is None:
                            break
                        host.queue.popleft()  # believed: no request, no slot, no interval
                        self._finish(job, settled, now)
                    if not host.queue or host.active >= host.concurrency:
                        continue
                    if host.next_start > now:
                        soonest = min(soonest, host.next_start)
                        continue
                    self._turn = (self._turn + i + 1) % len(order)
                    host.active += 1
                    host.next_start = now + host.interval
                    return hkey, host.queue.popleft()
                if self._remaining == 0 and self._closed:
                    cond.notify_all()
                    self._done.set()
                    return None
                if self._closed and not self._waiting and not any(h.queue for h in hosts.values()):
                    # nothing left to hand out: what is still in flight is retried, if need
                    # be, by the worker that has it; this one leaves while the others wait
                    return None
                cond.wait(timeout=max(0.001, min(soonest - now, 1.0)))

    def _run_worker(self) -> None:
        try:
            self._worker()
        except BaseException as exc:  # a bug, not a link's fault: ``wait`` must not hang on it
            with self._cond:
                self._crash = exc
                self._cond.notify_all()
                self._done.set()

    def _worker(self) -> None:
        settings = self.settings
        while True:
            got = self._take()
            if got is None:
                return
            hkey, job = got
            if not job.started:
                job.started = time.monotonic()
            try:
                attempt = self._checker.check(job.url, job.head_status, job.artwork)
            except Exception as exc:  # never let one URL stop the run
                attempt = Attempt(Status.BROKEN, f"checker error: {type(exc).__name__}: {exc}")
            with self._cond:
                host = self._hosts[hkey]
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
                    heapq.heappush(self._waiting, (now + delay, next(self._counter), hkey, job))
                else:
                    self._finish(job, attempt, now)
                if self._remaining == 0 and self._closed:
                    self._cond.notify_all()
                    self._done.set()
                else:
                    self._cond.notify()

    def _finish(self, job: Job, attempt: Attempt, now: float) -> None:  # ``_cond`` held
        self.results[job.key] = (self._final(attempt, job.tries), now - job.started, False)
        self._remaining -= 1
        if self.progress:
            self.progress(self.decided + len(self.results), self.known)

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
