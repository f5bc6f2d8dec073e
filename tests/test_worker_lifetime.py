"""Worker processes end with their build, also when its main process is killed outright
(``kill -9``, the OOM killer) and cannot shut its pool down: a real build in its own process
group, its main process stopped while its workers are alive, then killed; every worker must
notice and end by itself, within a bounded wait."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bigshow import make_show

PROC = Path("/proc")


def group(pgid: int) -> set[int]:
    """The processes of a process group that have not ended (an ended one that no one has
    reaped yet, a zombie, counts as ended)."""
    living = set()
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            living.add(int(entry.name))
    return living


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.mark.skipif(
    not (PROC / "self" / "stat").is_file(), reason="finds the build's processes in /proc (Linux)"
)
def test_workers_end_when_the_main_process_is_killed(tmp_path: Path) -> None:
    config = make_show(tmp_path / "show", 120, lines=60)  # a build of a second or more
    argv = [sys.executable, "-m", "feedgen_pod", "build", "--config", str(config), "--quiet"]
    argv += ["--out", str(tmp_path / "dist"), "--no-cache", "--jobs", "2"]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: its workers are found by it
        cwd=tmp_path,
    )
    try:
        assert wait_until(lambda: len(group(proc.pid) - {proc.pid}) >= 2, 60), (
            "the build's two workers never started"
        )
        os.kill(proc.pid, signal.SIGSTOP)  # held where it is: its pool open, its workers up
        workers = group(proc.pid) - {proc.pid}
        assert proc.poll() is None and len(workers) >= 2, "the build ended before it was killed"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
        ended = wait_until(lambda: not group(proc.pid), 20)
        assert ended, f"worker processes {sorted(group(proc.pid))} outlived their build"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the group this test started, if anything is left
        if proc.poll() is None:
            proc.wait(timeout=10)
