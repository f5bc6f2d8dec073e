"""A build with worker processes writes the same bytes and reports the same problems, in the
same order, as a build in one process; the feed rendered item by item is a whole feed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from conftest import corpus_show

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.build.workers import MIN_PARALLEL_FILES, Ordered, completed
from feedgen_pod.model import ChapterSettings


def _show_with_audio(corpus: Path, root: Path):
    """The corpus episodes, each with an ``audio:`` block so every one reaches the feed."""
    episodes = root / "episodes"
    episodes.mkdir(parents=True)
    sources = sorted(p for p in (corpus / "episodes").glob("*.md") if not p.name.startswith("_"))
    for i, path in enumerate(sources):
        text = path.read_text(encoding="utf-8")
        audio = (
            f"---\naudio:\n  url: https://example.org/audio/ep{i}.mp3\n"
            f"  length: {1000 + i}\n  type: audio/mpeg\n"
        )
        (episodes / path.name).write_text(audio + text[4:], encoding="utf-8")
    show = corpus_show(episodes_dir=episodes, audio_feed=None)
    return replace(show, chapters=ChapterSettings(directory=corpus / "chapters")), len(sources)


def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_workers_write_the_same_bytes_and_problems(corpus, tmp_path) -> None:
    show, count = _show_with_audio(corpus, tmp_path / "show")
    assert count >= MIN_PARALLEL_FILES  # else both builds would run in one process
    one = build(show, BuildOptions(out=tmp_path / "one", use_cache=False, jobs=1))
    two = build(show, BuildOptions(out=tmp_path / "two", use_cache=False, jobs=2))
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert [str(p) for p in one.problems] == [str(p) for p in two.problems]
    assert one.built == two.built == count
    assert one.files_written == two.files_written == len(_tree(tmp_path / "two"))
    assert [e.slug for e in one.episodes] == [e.slug for e in two.episodes]
    feed = feedparser.parse((tmp_path / "two" / "feed.xml").read_bytes())
    assert not feed.bozo
    assert len(feed.entries) == count
    assert feed.feed.title == show.title


def test_workers_write_in_place_and_stay_inside_dist(corpus, tmp_path) -> None:
    """Workers write their episode's files themselves: unchanged bytes are not rewritten, and
    an episode folder that is a link out of dist/ is refused there, as in the main process."""
    show, count = _show_with_audio(corpus, tmp_path / "show")
    out = tmp_path / "dist"
    build(show, BuildOptions(out=out, use_cache=False, jobs=2))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build(show, BuildOptions(out=out, use_cache=False, jobs=2))
    assert again.built == count and again.files_written == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before
    victim = sorted((out / "episodes").iterdir())[count // 2]
    outside = tmp_path / "outside"
    outside.mkdir()
    for child in victim.iterdir():
        child.unlink()
    victim.rmdir()
    victim.symlink_to(outside, target_is_directory=True)
    report = build(show, BuildOptions(out=out, use_cache=False, jobs=2))
    assert not list(outside.iterdir())
    refused = [p for p in report.problems if "resolves outside" in p.message]
    assert refused and all(p.is_error for p in refused)
    assert {p.path for p in refused} == {refused[0].path}


def test_incremental_rebuild_with_workers(corpus, tmp_path) -> None:
    show, count = _show_with_audio(corpus, tmp_path / "show")
    options = BuildOptions(out=tmp_path / "dist", cache_dir=tmp_path / "cache", jobs=2)
    first = build(show, options)
    assert first.built == count
    again = build(show, options)
    assert (again.built, again.reused) == (0, count)
    for path in sorted((tmp_path / "show" / "episodes").glob("*.md"))[:3]:
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    changed = build(show, options)
    assert (changed.built, changed.reused) == (3, count - 3)
    fresh = build(show, BuildOptions(out=tmp_path / "fresh", use_cache=False, jobs=1))
    assert _tree(tmp_path / "dist") == _tree(tmp_path / "fresh")
    assert [str(p) for p in changed.problems] == [str(p) for p in fresh.problems]


def test_a_kept_cache_beside_an_empty_dist_is_built_by_the_workers(
    corpus, tmp_path, monkeypatch
) -> None:
    """CI keeps .cache/ between runs and starts with no dist/: every entry is valid but its
    files are gone. The workers load those episodes, as in a cold build (the main process
    used to load each one itself, one core doing all the parsing), and the result is the
    cold build's, problems included and none twice."""
    import os

    from feedgen_pod.load import show as episode_module

    show, count = _show_with_audio(corpus, tmp_path / "show")
    options = BuildOptions(out=tmp_path / "dist", cache_dir=tmp_path / "cache", jobs=2)
    cold = build(show, options)
    for path in sorted((tmp_path / "dist").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    loads = tmp_path / "loads"
    real = episode_module.load_episode

    def counted(*args, **kwargs):
        with open(loads, "a", encoding="utf-8") as handle:  # one line per load, by process
            handle.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(episode_module, "load_episode", counted)
    again = build(show, options)
    pids = loads.read_text(encoding="utf-8").split()
    assert len(pids) == count and pids.count(str(os.getpid())) <= 1  # the first one, at most
    assert again.built == count
    assert [str(p) for p in again.problems] == [str(p) for p in cold.problems]
    build(show, BuildOptions(out=tmp_path / "fresh", use_cache=False, jobs=1))
    assert _tree(tmp_path / "dist") == _tree(tmp_path / "fresh")


def test_ordered_finishes_in_the_order_added() -> None:
    seen: list[int] = []
    queue = Ordered(window=2)
    for n in range(5):
        queue.add(completed(n), seen.append)
    queue.close()
    assert seen == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_flag_refuses_nonsense(value: str, capsys) -> None:
    from feedgen_pod.cli import main

    with pytest.raises(SystemExit):
        main(["build", "--jobs", value])
    assert "--jobs" in capsys.readouterr().err
