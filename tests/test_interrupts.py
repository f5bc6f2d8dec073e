"""A build stopped by Ctrl-C or SIGTERM (a cancelled CI job) stops cleanly: a clear message and
exit code, no worker process left behind, no temporary file in dist/, and no file half written
(every file present is whole: the next build finds nothing to rewrite)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT


def _show(corpus: Path, root: Path, copies: int) -> Path:
    """The corpus episodes ``copies`` times over (enough work for the worker pool to start)."""
    episodes = root / "episodes"
    episodes.mkdir(parents=True)
    sources = sorted(p for p in (corpus / "episodes").glob("*.md") if not p.name.startswith("_"))
    for k in range(copies):
        for path in sources:
            (episodes / f"c{k}-{path.name}").write_bytes(path.read_bytes())
    config = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    (root / "podcast.yaml").write_text(config, encoding="utf-8")
    return root / "podcast.yaml"


def _ctrl_c_live() -> None:
    """In the build's process before it starts: Ctrl-C as a terminal gives it. A test run in
    the background of a shell (a CI runner's script, ``pytest &``) has SIGINT ignored, which
    a child inherits: the build would then rightly ignore the signal this test sends."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    ("sig", "code", "message"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_stopped_build_leaves_no_worker_and_no_temporary_file(
    corpus: Path, tmp_path: Path, sig: signal.Signals, code: int, message: str
) -> None:
    config = _show(corpus, tmp_path / "show", copies=8)
    out = tmp_path / "dist"
    argv = [sys.executable, "-m", "feedgen_pod", "build", "--config", str(config)]
    argv += ["--people", str(corpus / "people"), "--out", str(out), "--no-cache", "--jobs", "2"]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the workers are found by it
        cwd=tmp_path,
        preexec_fn=_ctrl_c_live,
    )
    deadline = time.monotonic() + 60
    # signal once a few episodes are written: the pool is running then
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(out.glob("episodes/*/transcript.vtt"))) >= 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the build ended before it could be stopped"
    proc.send_signal(sig)  # the main process only, as `kill` or a CI runner does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err.decode()
    assert message in err.decode()
    assert "Traceback" not in err.decode()
    ended = time.monotonic() + 10
    while _group_alive(proc.pid) and time.monotonic() < ended:
        time.sleep(0.05)
    assert not _group_alive(proc.pid), "a worker process outlived the build"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    written = sorted(out.glob("episodes/*/*"))
    assert written, "nothing was written before the signal"
    # what is there is whole: building again over it rewrites none of those files
    before = {p: p.stat().st_mtime_ns for p in written}
    again = subprocess.run(argv, capture_output=True, timeout=120, cwd=tmp_path)
    assert again.returncode in (0, 1), again.stderr.decode()
    # the summary reaches a pipe although the program ends without tearing down (quick exit)
    assert again.stdout.decode().startswith("built "), again.stdout
    assert {p: p.stat().st_mtime_ns for p in written} == before
