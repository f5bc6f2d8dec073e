"""A build heals: a file a build could not write is never taken as written. Each fault below
is made real (a folder where a file goes) or injected at the writer's OS calls (a full disk, a
read-only folder), the build that meets it fails with a message naming the file, and its
``manifest.json`` lists only files that are in ``dist/`` with the bytes it says. Once the cause
is gone, the next build (with its cache) writes what is missing and ``dist/`` is byte for byte
a clean build's; the build after that reuses everything and removes nothing. In one process
and with worker processes (a show of 16 or more files)."""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from bigshow import make_show
from lxml import etree

from feedgen_pod.build import writer as writer_module
from feedgen_pod.build.workers import MIN_PARALLEL_FILES
from feedgen_pod.cli import main

#: a show built in one process, and one big enough for worker processes
SIZES = {"one-process": 4, "workers": MIN_PARALLEL_FILES + 2}
SLUG = "s01e002-episode-2"  # the episode the faults aim at
PODCAST = "https://podcastindex.org/namespace/1.0"
BASE_URL = "https://example.org/podcast/"


def build(config: Path, out: Path, capsys, *extra: str) -> tuple[int, str]:
    """The exit code, and the summary line after what went to stderr."""
    capsys.readouterr()
    code = main(["build", "--config", str(config), "--out", str(out), "--jobs", "2", *extra])
    said = capsys.readouterr()
    return code, said.err + said.out


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def manifest_paths(out: Path) -> set[str]:
    """The files ``manifest.json`` lists, each checked to be in ``dist/`` with its size and
    SHA-256 (no manifest at all lists nothing)."""
    path = out / "manifest.json"
    if not path.is_file():
        return set()
    listed = set()
    for entry in json.loads(path.read_bytes())["files"]:
        data = (out / entry["path"]).read_bytes()  # listed, so there: FileNotFoundError if not
        assert len(data) == entry["size"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        listed.add(entry["path"])
    return listed


def feed_links_are_there(out: Path) -> None:
    """Every transcript and chapters file the feed links is in ``dist/``."""
    feed = etree.parse(str(out / "feed.xml"))
    urls = [
        *feed.xpath("//podcast:transcript/@url", namespaces={"podcast": PODCAST}),
        *feed.xpath("//podcast:chapters/@url", namespaces={"podcast": PODCAST}),
    ]
    assert urls
    for url in urls:
        assert url.startswith(BASE_URL) and (out / url.removeprefix(BASE_URL)).is_file(), url


def fake_os(monkeypatch: pytest.MonkeyPatch, **calls: Callable) -> None:
    """The writer's ``os`` with some calls replaced (forked workers inherit it)."""
    fake = SimpleNamespace(**{name: getattr(os, name) for name in dir(os)})
    for name, call in calls.items():
        setattr(fake, name, call)
    monkeypatch.setattr(writer_module, "os", fake)


def folder_at(relative: str) -> Callable:
    """A folder where a file goes, made before the build; the fix removes it."""

    def make(out: Path, monkeypatch) -> Callable[[], None]:
        target = out / relative
        if target.is_file():
            target.unlink()
        target.mkdir(parents=True)
        return target.rmdir

    return make


def disk_full_after(files: int) -> Callable:
    """``dist/`` fills up: every write after its first ``files`` files (in each process)
    fails (the cache, on another disk, is still written)."""

    def make(out: Path, monkeypatch) -> Callable[[], None]:
        count = itertools.count()
        into_dist: set[int] = set()

        def open_(path, flags, *args, **kwargs):
            fd = os.open(path, flags, *args, **kwargs)
            if os.fspath(path).startswith(os.fspath(out)):
                into_dist.add(fd)
            return fd

        def write(fd: int, data) -> int:
            if fd in into_dist and next(count) >= files:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return os.write(fd, data)

        def close(fd: int) -> None:
            into_dist.discard(fd)
            os.close(fd)

        fake_os(monkeypatch, open=open_, write=write, close=close)
        return monkeypatch.undo

    return make


def refused_under(part: str, code: int) -> Callable:
    """Files whose path holds ``part`` cannot be created (``code``: read-only, full)."""

    def make(out: Path, monkeypatch) -> Callable[[], None]:
        def open_(path, flags, mode=0o777, *args, **kwargs):
            if part in os.fspath(path) and flags & os.O_CREAT:
                raise OSError(code, os.strerror(code), os.fspath(path))
            return os.open(path, flags, mode, *args, **kwargs)

        fake_os(monkeypatch, open=open_)
        return monkeypatch.undo

    return make


#: fault → (how it is made and undone, whether a clean build comes first, what the error says)
FAULTS = {
    "folder-at-transcript-cold": (
        folder_at(f"episodes/{SLUG}/transcript.vtt"),
        False,
        f"{SLUG}/transcript.vtt: error: a folder is where this file goes",
    ),
    "folder-at-transcript-rebuild": (
        folder_at(f"episodes/{SLUG}/transcript.vtt"),
        True,
        f"{SLUG}/transcript.vtt: error: a folder is where this file goes",
    ),
    "disk-full-partway": (disk_full_after(9), False, "error: no space left on device"),
    "read-only-episode-folder": (
        refused_under(f"episodes/{SLUG}/", errno.EROFS),
        True,
        f"{SLUG}/transcript.vtt: error: the file system is read-only",
    ),
    "folder-at-feed": (folder_at("feed.xml"), True, "feed.xml: error: a folder is where"),
    "manifest-unwritable": (
        refused_under("manifest.json", errno.ENOSPC),
        True,
        "manifest.json: error: no space left on device",
    ),
}


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_the_build_after_a_failed_write_is_a_clean_build(
    tmp_path: Path, capsys, monkeypatch, fault: str, size: str
) -> None:
    make_fault, built_before, message = FAULTS[fault]
    config = make_show(tmp_path / "show", SIZES[size])
    out = tmp_path / "dist"
    if built_before:
        assert build(config, out, capsys)[0] == 0
    else:  # the episode folder exists, as on a first build into a folder a user prepared
        (out / "episodes" / SLUG).mkdir(parents=True)
    if built_before:  # the fault meets a rebuild that must write: a transcript line changed
        source = tmp_path / "show" / "episodes" / f"{SLUG}.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("Line 0 of", "Line zero of"), encoding="utf-8")
    fix = make_fault(out, monkeypatch)

    code, err = build(config, out, capsys)
    assert code == 1 and "Traceback" not in err
    assert message in err, err
    manifest_paths(out)  # what it lists is there, with its bytes

    fix()
    clean = tmp_path / "clean"
    assert build(config, clean, capsys, "--no-cache")[0] == 0
    code, err = build(config, out, capsys)
    assert code == 0, err
    assert tree(out) == tree(clean)
    assert manifest_paths(out) == set(tree(out)) - {"manifest.json"}
    feed_links_are_there(out)

    code, said = build(config, out, capsys)  # healed for good: nothing rebuilt, nothing removed
    assert code == 0 and ": error:" not in said, said
    assert f"built 0 episodes, reused {SIZES[size]}, skipped 0; 0 files changed, 0 removed" in said
    assert tree(out) == tree(clean)


def test_no_cache_repairs_and_the_next_cached_build_keeps_the_repair(
    tmp_path: Path, capsys
) -> None:
    config = make_show(tmp_path / "show", SIZES["one-process"])
    out = tmp_path / "dist"
    (out / "episodes" / SLUG / "transcript.vtt").mkdir(parents=True)
    assert build(config, out, capsys)[0] == 1
    (out / "episodes" / SLUG / "transcript.vtt").rmdir()
    assert build(config, out, capsys, "--no-cache")[0] == 0
    assert build(config, out, capsys)[0] == 0
    assert (out / "episodes" / SLUG / "transcript.vtt").is_file()
    assert manifest_paths(out) == set(tree(out)) - {"manifest.json"}
    feed_links_are_there(out)
