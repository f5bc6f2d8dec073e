"""``build --watch``: one resident process that builds again when the show's inputs change.

The snapshot must see every kind of change (an edit, a new file, a deletion); the loop must
build once at the start and then only after a change; and the real command, run as a program,
must rebuild just the edited episode and end cleanly on Ctrl-C.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT

from feedgen_pod.build import watch


def test_the_snapshot_sees_edits_new_files_and_deletions(tmp_path: Path) -> None:
    folder, config = tmp_path / "episodes", tmp_path / "podcast.yaml"
    folder.mkdir()
    (folder / "a.md").write_text("one", encoding="utf-8")
    config.write_text("title: x\n", encoding="utf-8")
    seen = [watch.snapshot([folder, tmp_path / "missing"], [config])]
    (folder / "a.md").write_text("two", encoding="utf-8")  # same size: the time differs
    os.utime(folder / "a.md", ns=(1, 1))
    seen.append(watch.snapshot([folder], [config]))
    (folder / "b.md").write_text("new", encoding="utf-8")
    seen.append(watch.snapshot([folder], [config]))
    (folder / "a.md").unlink()
    seen.append(watch.snapshot([folder], [config]))
    config.write_text("title: longer\n", encoding="utf-8")
    seen.append(watch.snapshot([folder], [config]))
    assert len(set(seen)) == len(seen)
    assert watch.snapshot([folder], [config]) == seen[-1]  # nothing changed: the same


def test_the_loop_builds_at_the_start_and_after_each_change_only() -> None:
    states = iter([1, 1, 2, 2, 2, 3, 3])  # what the inputs look like at each look
    builds: list[int] = []
    looks = 0

    def inputs() -> watch.Snapshot:
        return frozenset({("state", next(states), 0)})

    def sleep(seconds: float) -> None:
        nonlocal looks
        assert seconds == 0.5
        looks += 1
        if looks == 6:
            raise KeyboardInterrupt  # Ctrl-C while waiting

    def build() -> int:
        builds.append(looks)
        return len(builds)

    assert watch.loop(build, inputs, 0.5, sleep) == 3  # the last build's exit code
    assert builds == [0, 2, 5]


def test_ctrl_c_during_a_build_interrupts_it() -> None:
    def build() -> int:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # the CLI says "interrupted" and exits 130
        watch.loop(build, frozenset, 0.5, lambda seconds: None)


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line.decode().rstrip("\n"))


def _next_line(lines: queue.Queue, deadline: float) -> str:
    try:
        return lines.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        pytest.fail("no summary line from the watching build in time")


def test_watch_rebuilds_the_edited_episode_and_ends_on_ctrl_c(corpus: Path, tmp_path: Path):
    episodes, people = tmp_path / "episodes", tmp_path / "people"
    episodes.mkdir()
    for name in ("crisp-dm.md", "data-team-roles.md"):
        shutil.copy(corpus / "episodes" / name, episodes / name)
    shutil.copytree(corpus / "people", people)
    argv = [sys.executable, "-m", "feedgen_pod", "build", "--config"]
    argv += [str(ROOT / "config" / "podcast.yaml"), "--episodes", str(episodes)]
    argv += ["--people", str(people), "--out", str(tmp_path / "dist"), "--quiet"]
    argv += ["--watch", "--interval", "0.05"]
    lines: queue.Queue = queue.Queue()
    # unbuffered output, the hard case: each line reaches the pipe as soon as it is printed
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env
    ) as proc:
        reader = threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 60
            assert _next_line(lines, deadline).startswith("built 2 episodes, reused 0")
            edited, draft = episodes / "crisp-dm.md", tmp_path / "crisp-dm.md"
            draft.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
            # one change, as an editor saves: a watch that looked while a plain write had only
            # emptied the file would see the rest as a second change and build a third time
            os.replace(draft, edited)
            assert _next_line(lines, deadline).startswith("built 1 episode, reused 1")
            proc.send_signal(signal.SIGINT)  # while it waits for the next change
            proc.wait(timeout=30)
        finally:
            proc.kill()
            reader.join(timeout=30)
        err = proc.stderr.read().decode()
    assert proc.returncode in (0, 1), err
    assert "Traceback" not in err and "interrupted" not in err
    assert lines.empty()  # nothing was built again without a change
