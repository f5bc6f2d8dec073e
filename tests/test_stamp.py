"""The no-change shortcut: a rebuild that finds every input and output as the stamp recorded
them prints the last report without running the pipeline; any change runs the full build."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from test_incremental import make_project

import feedgen_pod.commands.build as build_command
from feedgen_pod.build import stamp
from feedgen_pod.cli import main


@pytest.fixture
def project(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = make_project(tmp_path / "show", corpus)
    monkeypatch.chdir(config.parent)
    return config


def build(capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["build", "--config", "podcast.yaml", "--out", "dist", "--jobs", "1", *extra])
    out, err = capsys.readouterr()
    return code, re.sub(r" in [0-9.]+s$", "", out.strip()), err


@pytest.fixture
def pipeline_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the full pipeline ran."""
    runs: list[int] = []
    real = build_command.build

    def counted(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_command, "build", counted)
    return runs


def dist_state(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_nothing_changed_replays_the_report_without_the_pipeline(project, capsys, pipeline_runs):
    first = build(capsys)
    before = dist_state(project.parent / "dist")
    stamp_file = project.parent / ".cache" / "feedgen-pod" / stamp.STAMP_NAME
    assert stamp_file.is_file()
    stamp_file.unlink()
    full = build(capsys)  # the full no-change rebuild, which leaves the stamp again
    assert len(pipeline_runs) == 2 and stamp_file.is_file()
    again = build(capsys)
    assert len(pipeline_runs) == 2  # the shortcut: no pipeline
    assert again == full  # exit code, summary line and every warning, the same
    assert "built 0 episodes, reused 5" in again[1] and first[2] == again[2]
    assert dist_state(project.parent / "dist") == before  # nothing rewritten


def edit_keeping_size_and_time(path: Path) -> None:
    """Change a file's bytes but not its size or modification time (content is what counts)."""
    info = path.stat()
    data = bytearray(path.read_bytes())
    at = data.rindex(b"a")
    data[at : at + 1] = b"e"
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.mark.parametrize(
    "change",
    [
        "episode bytes",
        "profile bytes",
        "new episode",
        "new chapter list",
        "config",
        "output edited",
        "output deleted",
        "manifest deleted",
        "option",
        "corrupt stamp",
        "foreign stamp",
    ],
)
def test_any_change_runs_the_full_build(project, capsys, pipeline_runs, change):
    root = project.parent
    build(capsys)
    extra: list[str] = []
    if change == "episode bytes":
        edit_keeping_size_and_time(root / "episodes" / "crisp-dm.md")
    elif change == "profile bytes":
        edit_keeping_size_and_time(root / "people" / "alexeygrigorev.md")
    elif change == "new episode":
        (root / "episodes" / "new.md").write_text("---\ntitle: New\n---\n", encoding="utf-8")
    elif change == "new chapter list":
        (root / "chapters" / "s99e99.txt").write_text("00:00:00 Intro\n", encoding="utf-8")
    elif change == "config":
        project.write_text(project.read_text(encoding="utf-8") + "# note\n", encoding="utf-8")
    elif change == "output edited":  # outputs, as in the cache, by size and modification time
        vtt = next((root / "dist").rglob("*.vtt"))
        vtt.write_bytes(vtt.read_bytes() + b"\n")
    elif change == "output deleted":
        next((root / "dist").rglob("*.srt")).unlink()
    elif change == "manifest deleted":
        (root / "dist" / "manifest.json").unlink()
    elif change == "option":
        extra = ["--drafts"]
    elif change == "corrupt stamp":
        (root / ".cache" / "feedgen-pod" / stamp.STAMP_NAME).write_text("{", encoding="utf-8")
    elif change == "foreign stamp":
        (root / ".cache" / "feedgen-pod" / stamp.STAMP_NAME).write_text("[1]", encoding="utf-8")
    build(capsys, *extra)
    assert len(pipeline_runs) == 2, change
    build(capsys, *extra)  # the full build left a new stamp: the next one is a replay
    assert len(pipeline_runs) == 2


def test_no_cache_neither_reads_nor_leaves_a_stamp(project, capsys, pipeline_runs):
    build(capsys, "--no-cache")
    build(capsys, "--no-cache")
    assert len(pipeline_runs) == 2
    assert not (project.parent / ".cache" / "feedgen-pod" / stamp.STAMP_NAME).exists()


def test_a_media_folder_or_host_feed_leaves_no_stamp(project, capsys, pipeline_runs):
    (project.parent / "media").mkdir()
    project.write_text(project.read_text(encoding="utf-8") + "media_dir: media\n", encoding="utf-8")
    build(capsys)
    build(capsys)
    assert len(pipeline_runs) == 2  # audio files may change under it: always the full build
