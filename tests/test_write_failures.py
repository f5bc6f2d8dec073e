"""A write that fails (disk full, a folder where a file goes, a file where a folder goes, a
cache that cannot be written, a publish target that refuses) ends in one clear message and a
clean exit, never a traceback, in the main process and in a worker; nothing is left
half-written, and the next build with room is byte-identical to a clean one.

A full disk is injected at the OS boundary (the writer's ``os.write`` answers ENOSPC); the
other cases are real file system states, which hold for root too."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT

from feedgen_pod.build import run as build_run
from feedgen_pod.build import writer as writer_module
from feedgen_pod.cli import main

FIXTURE = ROOT / "tests" / "fixtures" / "show"
FULL = "no space left on device; nothing was half-written; free space and build again"


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """A copy of the fixture show (its config names its folders relative to itself)."""
    root = tmp_path / "show"
    shutil.copytree(FIXTURE, root)
    return root / "config" / "podcast.yaml"


def build(config: Path, out: Path, *extra: str) -> int:
    return main(["build", "--config", str(config), "--out", str(out), "--quiet", *extra])


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every write through the writer fails as on a full disk (in forked workers too)."""

    def no_space(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    fake_os = SimpleNamespace(**{name: getattr(os, name) for name in dir(os)})
    fake_os.write = no_space
    monkeypatch.setattr(writer_module, "os", fake_os)
    yield


@pytest.mark.parametrize("workers", [False, True], ids=["one-process", "workers"])
def test_a_full_disk_is_one_message_per_file_and_the_next_build_is_clean(
    show: Path, tmp_path: Path, capsys, monkeypatch, disk_full, workers: bool
) -> None:
    if workers:  # the fixture's three episodes are built by a pool of two workers
        monkeypatch.setattr(build_run, "MIN_PARALLEL_FILES", 2)
    out = tmp_path / "dist"
    assert build(show, out, "--jobs", "2" if workers else "1", "--no-cache") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    failed = [line for line in err.splitlines() if FULL in line]
    assert failed and all("output-unwritable" not in line for line in failed)
    assert any("/transcript.vtt: error: " in line for line in failed)  # named by its file
    assert not [p for p in out.rglob("*") if p.is_file()]  # no file, no temporary left

    monkeypatch.undo()
    assert build(show, out, "--jobs", "1", "--no-cache") in (0, 1)
    clean = tmp_path / "clean"
    build(show, clean, "--jobs", "1", "--no-cache")
    assert tree(out) == tree(clean)


def test_a_folder_where_a_file_goes_costs_that_file_only(show: Path, tmp_path: Path, capsys):
    out = tmp_path / "dist"
    build(show, out, "--no-cache")
    capsys.readouterr()
    target = next(out.rglob("transcript.vtt"))
    target.unlink()
    target.mkdir()
    assert build(show, out, "--no-cache") == 1
    err = capsys.readouterr().err
    assert "a folder is where this file goes; nothing was half-written" in err
    assert "Traceback" not in err
    assert (out / "feed.xml").is_file() and next(out.rglob("chapters.json")).is_file()


def test_a_file_where_the_output_folder_goes(show: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "dist"
    out.write_text("not a folder")
    assert build(show, out, "--no-cache") == 1
    err = capsys.readouterr().err
    assert "a file is where a folder goes; nothing was half-written" in err
    assert "Traceback" not in err


def test_a_cache_that_cannot_be_written_is_one_warning_and_the_build_goes_on(
    show: Path, tmp_path: Path, capsys
) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder goes")
    out = tmp_path / "dist"
    main(["build", "--config", str(show), "--out", str(out), "--cache-dir", str(blocked)])
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "build cache cannot be written" in line]
    assert len(warnings) == 1 and ": warning: " in warnings[0]
    assert "Traceback" not in err
    clean = tmp_path / "clean"
    build(show, clean, "--no-cache")
    assert tree(out) == tree(clean)


def test_a_publish_folder_that_refuses_a_file_stops_before_the_feed(
    show: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "dist"
    build(show, out, "--no-cache")
    site = tmp_path / "site"
    site.mkdir()
    (site / "episodes").write_text("a file where the episodes folder goes")
    code = main(["publish", "--config", str(show), "--dist", str(out), "--to", str(site)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "a file is where a folder goes; nothing was half-written" in err
    assert "publish again" in err
    assert not (site / "feed.xml").exists()  # the feed goes last: subscribers see no change
