"""``build --watch``: build again whenever the show's inputs change, in one resident process.

A rebuild in a new process pays for starting Python and importing the pipeline before it
reads a byte, most of a one-episode rebuild of a small show; a process that stays running
pays that once. Changes are noticed by polling the show's folders for file names,
sizes and modification times, which only decides *when* to build: the build itself hashes
every input, as always, to decide *what* to rebuild. The loop is bounded by the interval and
ends on Ctrl-C (or SIGTERM, like any build).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

#: a file's name, size and modification time: what an edit, a new file or a deletion changes
Snapshot = frozenset[tuple[str, int, int]]


def snapshot(folders: Iterable[Path], files: Iterable[Path]) -> Snapshot:
    """Every file directly in ``folders``, and each of ``files``: name, size, modification
    time. A missing folder or file is simply absent (it may appear later)."""
    seen: set[tuple[str, int, int]] = set()
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        info = entry.stat()
                    except OSError:
                        continue
                    seen.add((entry.path, info.st_size, info.st_mtime_ns))
        except OSError:
            continue
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        seen.add((str(path), info.st_size, info.st_mtime_ns))
    return frozenset(seen)


class _Stop(Exception):
    """Ctrl-C while no build runs: the watch ends with the last build's exit code."""


def loop(
    build: Callable[[], int],
    inputs: Callable[[], Snapshot],
    interval: float,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Build once, then again after every change of ``inputs``. Ctrl-C between builds ends
    the watch with the last build's exit code; during a build it interrupts that build, as
    it would any. A change made during a build is seen at the next look.

    Whether a build is running is what decides, not where the signal lands: each build's
    standard output is held until it is over and written after, so Ctrl-C after its summary
    line, even before the next wait has begun, ends the watch cleanly (also with
    ``PYTHONUNBUFFERED``, which would otherwise let the line out while the build unwinds)."""
    building = False

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt if building else _Stop

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, interrupt) if in_main else None
    code = 0
    try:
        last = inputs()
        while True:
            held = io.StringIO()
            building = True
            with contextlib.redirect_stdout(held):
                code = build()
            building = False
            sys.stdout.write(held.getvalue())
            sys.stdout.flush()  # each summary line as it comes, even into a pipe
            while True:
                try:
                    sleep(interval)
                    now = inputs()
                except KeyboardInterrupt:
                    return code
                if now != last:
                    last = now
                    break
    except _Stop:
        return code
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
