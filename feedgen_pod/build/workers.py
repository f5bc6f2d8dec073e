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
import os
import signal
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the pool's modules load only when a pool starts (≈20 ms a rebuild)
    from concurrent.futures import Executor, Future

#: below this many episode files the pool's start-up costs more than it saves
MIN_PARALLEL_FILES = 16


def default_jobs() -> int:
    return os.cpu_count() or 1


def start_pool(jobs: int, initializer: Callable[..., None], initargs: tuple) -> Executor:
    """Worker processes; forked where the platform allows (no re-import of the tool)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(initializer, *initargs),
    )


def _start_worker(initializer: Callable[..., None], *initargs: Any) -> None:
    """Interrupts are the main process's to handle: it cancels what is queued and waits for
    what runs (a worker ignores Ctrl-C, which a terminal sends to every process). SIGTERM
    kills a worker as it would any process: the handler the main process installs (see
    ``cli``) would otherwise be inherited, and the pool would report the exception it raises
    as the task's result and keep the worker alive."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    initializer(*initargs)


class Done:
    """A result computed in this process, queued like a worker's."""

    def __init__(self, value: Any):
        self.value = value

    def done(self) -> bool:
        return True

    def result(self) -> Any:
        return self.value


class Ordered:
    """Finish steps run in the order they were added, each once its result is ready.

    At most ``window`` results wait at a time (each holds an episode's files in memory).
    """

    def __init__(self, window: int):
        self.window = max(1, window)
        self.pending: deque[tuple[Future | Done, Callable[[Any], None]]] = deque()

    def add(self, result: Future | Done, finish: Callable[[Any], None]) -> None:
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
