"""Episodes built in worker processes, their results taken back in file order.

A build's CPU goes into deriving cues and rendering and writing about ten files per episode,
and episodes do not depend on each other: worker processes do that part (each episode's files
are written in its own folder by the worker that rendered them, so their bytes never cross a
pipe) while the main process keeps everything whose order matters (hashing, matching audio,
claiming paths, the cache, the manifest, the feed). ``Ordered`` hands each result back in the
order the episodes were queued, so problems, the manifest and the feed come out exactly as
from a one-process build."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from .episode import EpisodeContext, EpisodeResult, Loaded, build_episode

#: below this many episode files the pool's start-up costs more than it saves
MIN_PARALLEL_FILES = 16

#: the build's context in a worker process, set once by the pool's initializer
_context: EpisodeContext | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


class Workers:
    """Builds episodes with ``build_episode``: the first one in this process, the rest in a
    pool of ``jobs`` worker processes, started when a second episode needs building (a
    one-change rebuild starts none)."""

    def __init__(self, context: EpisodeContext, jobs: int):
        self.context = context
        self.jobs = jobs
        self.submitted = 0
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, path: Path, loaded: Loaded | None) -> Future[EpisodeResult]:
        self.submitted += 1
        if self.pool is None and self.submitted > 1 and self.jobs > 1:
            self.pool = _start_pool(self.jobs, self.context)
        if self.pool is not None:
            return self.pool.submit(_build_in_worker, path, loaded)
        return completed(build_episode(self.context, path, loaded))

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def completed(value: EpisodeResult | None) -> Future:
    """A result computed in this process, queued like a worker's."""
    future: Future = Future()
    future.set_result(value)
    return future


def _start_pool(jobs: int, context: EpisodeContext) -> ProcessPoolExecutor:
    """Worker processes; forked where the platform allows (no re-import of the tool)."""
    methods = multiprocessing.get_all_start_methods()
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork" if "fork" in methods else None),
        initializer=_start_worker,
        initargs=(context,),
    )


def _start_worker(context: EpisodeContext) -> None:
    """Keeps the build's context for every episode this worker builds. Interrupts are the
    main process's to handle: it cancels what is queued and waits for what runs (a worker
    ignores Ctrl-C, which a terminal sends to every process). SIGTERM kills a worker as it
    would any process: the handler the main process installs (see ``cli``) would otherwise
    be inherited, and the pool would report the exception it raises as the task's result and
    keep the worker alive. A worker whose build is gone ends too (``_end_with_parent``)."""
    global _context
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _context = context
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(
            target=_end_with_parent, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()


def _end_with_parent(sentinel: int) -> None:
    """Wait until the build's main process is gone, then end this worker at once.

    A main process killed outright (``kill -9``, the OOM killer) cannot shut its pool down,
    and a worker waiting for its next episode would wait forever: the pipe it reads is also
    held open by the other workers. ``sentinel`` is the parent's end of a pipe only the parent
    and the workers started after this one hold; it reads as ready when they are all gone, so
    the last worker started ends first and the others follow. Whatever this worker was
    building is of no use to anyone then."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _build_in_worker(path: Path, loaded: Loaded | None) -> EpisodeResult:
    assert _context is not None, "the pool's initializer sets the context"
    return build_episode(_context, path, loaded)


class Ordered:
    """Finish steps run in the order they were added, each once its result is ready.

    At most ``window`` results wait at a time (each holds an episode's files in memory).
    """

    def __init__(self, window: int):
        self.window = max(1, window)
        self.pending: deque[tuple[Future, Callable[[EpisodeResult | None], None]]] = deque()

    def add(self, result: Future, finish: Callable[[EpisodeResult | None], None]) -> None:
        self.pending.append((result, finish))
        self._drain(keep=self.window)

    def close(self) -> None:
        self._drain(keep=0)

    def _drain(self, keep: int) -> None:
        while self.pending:
            result, finish = self.pending[0]
            if len(self.pending) <= keep and not result.done():
                return
            self.pending.popleft()
            finish(result.result())
