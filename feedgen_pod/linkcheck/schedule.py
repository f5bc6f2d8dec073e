"""The scheduler: many URLs checked at once, politely, each once, with retries.

Workers take the next job from a host that has a free slot and whose minimum interval has
passed, so one slow or strict host never holds the others up. A job to retry goes back with a
time before which it may not run (exponential backoff with jitter, or the server's
``Retry-After`` up to a cap); a host answering 429 pauses and slows down for the rest of the run.

Jobs come in batches (``add``): a batch is queued whole before the workers it needs start
(preparing 2,000 links takes ≈5 ms): workers started while the links were still being prepared
had to wait for the preparing thread's interpreter lock at every step of their first request,
and the first round of requests went out over ≈45 ms instead of ≈20. Later batches go to the
workers already running, and more are started up to the global limit. Jobs no longer wanted
are dropped (``drop``): those still queued are never asked.
"""

from __future__ import annotations

import _thread
import heapq
import itertools
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from . import safety
from .check import Checker
from .policy import Settings
from .probe import Attempt
from .types import Status

#: called with (links decided, links known so far)
Progress = Callable[[int, int], None]


class Job:
    """One URL to check (plain classes here: dataclasses cost start-up time to define)."""

    __slots__ = ("head_status", "host", "key", "started", "tries", "url")

    def __init__(self, key: str, url: str, host: str = ""):
        self.key = key
        self.url = url
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

    def __init__(self, settings: Settings, guard: safety.Guard, progress: Progress | None = None):
        self.settings = settings
        self.guard = guard
        self.progress = progress
        self.results: dict[str, tuple[Attempt, float, bool]] = {}
        self._hosts: dict[str, _Host] = {}
        self._order: list[str] = []
        self._turn = 0
        self._waiting: list[tuple[float, int, str, Job]] = []
        self._counter = itertools.count()
        lock = threading.RLock()
        self._cond = threading.Condition(lock)
        #: where ``first_round`` waits (the same lock: workers tell it without waking others)
        self._round = threading.Condition(lock)
        self._remaining = 0
        #: jobs added so far
        self._added = 0
        self._closed = False
        self._workers = 0
        #: jobs taken by workers so far; workers in a request, and waiting for a job they may take
        self._taken = 0
        self._busy = 0
        self._idle = 0
        #: keys of jobs no longer wanted: not asked again, their answers not kept
        self._dropped: set[str] = set()
        #: keys of ``results`` in the order they came in; set when the last is in (or on a crash)
        self._finished: list[str] = []
        self._done = threading.Event()
        self._crash: BaseException | None = None
        self._checker = Checker(settings, safety.Pools(settings.concurrency))
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
            # a bare thread: ``threading.Thread.start`` waits until the new thread has run,
            # a hand-off that cost about 0.5 ms a thread here and held the first round of
            # requests back by tens of milliseconds
            _thread.start_new_thread(self._run_worker, ())

    def drop(self, keys: Iterable[str]) -> None:
        """Jobs no longer wanted: those queued or waiting to retry are removed unasked; one in
        flight ends with its current request, and its answer is not kept."""
        with self._cond:
            dropped = self._dropped
            dropped.update(keys)
            for host in self._hosts.values():
                kept = [job for job in host.queue if job.key not in dropped]
                self._remaining -= len(host.queue) - len(kept)
                host.queue = deque(kept)
            waiting = [entry for entry in self._waiting if entry[3].key not in dropped]
            self._remaining -= len(self._waiting) - len(waiting)
            heapq.heapify(waiting)
            self._waiting = waiting
            self._cond.notify_all()

    def first_round(self, longest: float = 0.05) -> None:
        """Return once every worker has taken a job or waits for one that host limits hold
        back (or after ``longest`` seconds): the first requests are on their way, and what the
        caller does now no longer holds them up (all threads share one interpreter lock)."""
        until = time.monotonic() + longest
        with self._cond:
            while not self._settled() and self._remaining and self._crash is None:
                left = until - time.monotonic()
                if left <= 0:
                    return
                self._round.wait(left)

    def _settled(self) -> bool:  # ``_cond`` held
        return self._taken >= self._workers or self._busy + self._idle >= self._workers

    def close(self) -> None:
        """No more jobs: workers end when the last one is decided."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            if self._remaining == 0:
                self._done.set()

    def wait(
        self, each: Callable[[str, tuple[Attempt, float, bool]], object] | None = None
    ) -> dict[str, tuple[Attempt, float, bool]]:
        """Every job's result, as soon as the last is in (idle workers have left already; the
        last few leave on their own, no need to wait for them).

        ``each`` is handed every result, a batch every 0.1 s while the run goes on, so what
        the caller makes of them is not all left for after the last answer. The caller waits
        on an event of its own: on the workers' condition it was woken by every finished job,
        taking the interpreter lock from workers in the middle of a round of answers.
        """
        self.close()
        handed = 0
        while True:
            done = self._done.wait(0.1 if each else None)
            with self._cond:
                fresh = self._finished[handed:]
            handed += len(fresh)
            if each is not None:
                for key in fresh:
                    each(key, self.results[key])
            if done:
                break
        self._checker.pools.clear()
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
                    while host.queue and host.queue[0].head_status is not None:
                        job = host.queue[0]
                        settled = self._checker.settled(job.url, job.head_status)
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
                    self._taken += 1
                    self._busy += 1
                    if self._settled():
                        self._round.notify()
                    return hkey, host.queue.popleft()
                if self._remaining == 0 and self._closed:
                    cond.notify_all()
                    self._done.set()
                    return None
                if self._closed and not self._waiting and not any(h.queue for h in hosts.values()):
                    # nothing left to hand out: what is still in flight is retried, if need
                    # be, by the worker that has it; this one leaves while the others wait
                    return None
                self._idle += 1
                if self._settled():
                    self._round.notify()
                cond.wait(timeout=max(0.001, min(soonest - now, 1.0)))
                self._idle -= 1

    def _run_worker(self) -> None:
        try:
            self._worker()
        except BaseException as exc:  # a bug, not a link's fault: ``wait`` must not hang on it
            with self._cond:
                self._crash = exc
                self._cond.notify_all()
                self._round.notify_all()
                self._done.set()

    def _worker(self) -> None:
        safety.set_guard(self.guard)
        settings = self.settings
        while True:
            got = self._take()
            if got is None:
                return
            hkey, job = got
            if not job.started:
                job.started = time.monotonic()
            try:
                attempt = self._checker.check(job.url, job.head_status)
            except Exception as exc:  # never let one URL stop the run
                attempt = Attempt(Status.BROKEN, f"checker error: {type(exc).__name__}: {exc}")
            with self._cond:
                self._busy -= 1
                host = self._hosts[hkey]
                host.active -= 1
                now = time.monotonic()
                if job.key in self._dropped:
                    self._remaining -= 1  # not wanted any more: neither asked again nor kept
                elif attempt.retry == "confirm":
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
        self._finished.append(job.key)
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
            return attempt._replace(status=Status.TIMEOUT, detail=attempt.detail + after)
        if attempt.retry == "429":
            return attempt._replace(
                status=Status.UNVERIFIABLE, detail="still rate limited (HTTP 429)" + after
            )
        return attempt._replace(status=Status.BROKEN, detail=attempt.detail + after)
