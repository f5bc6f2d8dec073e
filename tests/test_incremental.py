"""Incremental builds: the cache, the manifest, removal of stale files, reproducibility."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import feedgen_pod.build.manifest as manifest_module
import feedgen_pod.build.run as build_module
import feedgen_pod.load.show as load_show_module
from feedgen_pod.build import BuildOptions, build
from feedgen_pod.config import load_config
from feedgen_pod.contenttypes import content_type
from feedgen_pod.formats import Rendered
from feedgen_pod.load.episodes import slug_for

EPISODES = [
    "crisp-dm.md",
    "cloud-data-governance.md",
    "data-team-roles.md",
    "ai-for-ecology-biodiversity-and-conservation.md",
    "data-science-career-abc-framework.md",
]


def make_project(root: Path, corpus: Path) -> Path:
    """A small show from corpus episodes in ``root``; returns its config path."""
    (root / "episodes").mkdir(parents=True)
    for name in EPISODES:
        shutil.copy(corpus / "episodes" / name, root / "episodes" / name)
    shutil.copytree(corpus / "people", root / "people")
    shutil.copytree(corpus / "chapters", root / "chapters")
    config = root / "podcast.yaml"
    config.write_text(
        "title: Test Show\n"
        "description: A show for tests.\n"
        "site_url: https://example.org\n"
        "feed_url: https://example.org/feed.xml\n"
        "base_url: https://example.org/files\n"
        "language: en\n"
        "author: Tester\n"
        "owner_name: Tester\n"
        "owner_email: t@example.org\n"
        "image: https://example.org/cover.jpg\n"
        "categories: [Technology]\n"
        "hosts: [alexeygrigorev]\n"
        "episodes_dir: episodes\n"
        "people_dir: people\n"
        "chapters_dir: chapters\n",
        encoding="utf-8",
    )
    return config


def run(config: Path, out: Path, **options) -> build_module.BuildReport:
    show, _ = load_config(config)
    return build(show, BuildOptions(out=out, **options))


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``root``: modification time and bytes."""
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path, corpus: Path) -> Path:
    return make_project(tmp_path / "show", corpus)


@pytest.fixture
def load_calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Spy on the episode parser: the paths it was asked to parse."""
    calls: list[Path] = []
    real = load_show_module.load_episode

    def spy(path, *args, **kwargs):
        calls.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(load_show_module, "load_episode", spy)
    return calls


def test_no_change_rebuild_parses_nothing_and_writes_nothing(project, load_calls):
    out = project.parent / "dist"
    first = run(project, out)
    assert first.built == len(EPISODES) and first.reused == 0
    assert len(load_calls) == len(EPISODES)
    before = snapshot(out)
    cache_before = snapshot(project.parent / ".cache")
    load_calls.clear()

    second = run(project, out)
    assert load_calls == []
    assert second.reused == len(EPISODES) and second.built == 0
    assert second.files_written == 0
    assert snapshot(out) == before  # same bytes and same modification times
    assert snapshot(project.parent / ".cache") == cache_before
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems]
    assert [e.slug for e in second.episodes] == [e.slug for e in first.episodes]


def test_one_changed_episode_rebuilds_only_it_and_show_files(project, load_calls):
    out = project.parent / "dist"
    run(project, out)
    before = snapshot(out)
    changed = project.parent / "episodes" / "crisp-dm.md"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("\nseason: ", "\nseason: 7", 1), encoding="utf-8")
    load_calls.clear()

    report = run(project, out)
    assert load_calls == [changed]
    assert report.built == 1 and report.reused == len(EPISODES) - 1
    after = snapshot(out)
    touched = {p for p in after if after[p][0] != before.get(p, (None,))[0]}
    slug = slug_for(changed)
    for path in touched:
        assert path.startswith(f"episodes/{slug}/") or "/" not in path, path
    assert "manifest.json" in touched  # (this episode has no audio: it is not in the feed)
    assert any(path.startswith(f"episodes/{slug}/") for path in touched)


def test_guest_profile_and_config_changes_invalidate(project, load_calls):
    out = project.parent / "dist"
    run(project, out)
    guest = project.parent / "people" / "alexeygrigorev.md"  # host, and guest of crisp-dm
    guest.write_text(guest.read_text(encoding="utf-8") + "\nMore bio.\n", encoding="utf-8")
    load_calls.clear()
    report = run(project, out)
    assert report.built == len(EPISODES)  # a host's profile is in every episode

    load_calls.clear()
    project.write_text(
        project.read_text(encoding="utf-8").replace("Test Show", "Renamed"), encoding="utf-8"
    )
    report = run(project, out)
    assert report.built == len(EPISODES) and report.reused == 0
    folders = [p for p in (project.parent / ".cache" / "feedgen-pod").iterdir() if p.is_dir()]
    assert len(folders) == 1  # the cache of the old config is gone


def test_timestamp_list_change_rebuilds_its_episode(project, load_calls):
    out = project.parent / "dist"
    run(project, out)
    # cloud-data-governance is s03e10, whose timestamp list is s03e10-data-governance.txt
    listed = project.parent / "chapters" / "s03e10-data-governance.txt"
    listed.write_text("00:00 Start\n00:10 Changed\n", encoding="utf-8")
    load_calls.clear()
    report = run(project, out)
    assert load_calls == [project.parent / "episodes" / "cloud-data-governance.md"]
    assert report.built == 1


def test_deleted_output_is_rebuilt_and_no_cache_builds_all(project, load_calls):
    out = project.parent / "dist"
    run(project, out)
    victim = next(p for p in sorted(out.rglob("*")) if p.is_file() and "episodes/" in str(p))
    data = victim.read_bytes()
    victim.unlink()
    load_calls.clear()
    report = run(project, out)
    assert len(load_calls) == 1 and victim.read_bytes() == data
    load_calls.clear()
    report = run(project, out, use_cache=False)
    assert report.built == len(EPISODES) and len(load_calls) == len(EPISODES)
    assert report.files_written == 0  # same bytes: nothing rewritten


def test_corrupt_cache_is_a_cold_build(project):
    out = project.parent / "dist"
    run(project, out)
    for path in (project.parent / ".cache").rglob("*.pickle"):
        path.write_bytes(b"not a pickle")
    report = run(project, out)
    assert report.built == len(EPISODES) and not report.errors


def test_manifest_lists_every_written_file(project):
    out = project.parent / "dist"
    run(project, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    paths = [f["path"] for f in files]
    assert paths == sorted(paths)
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(paths) == on_disk
    for item in files:
        data = (out / item["path"]).read_bytes()
        assert item["size"] == len(data)
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["content_type"] == content_type(item["path"])
        if item["path"].startswith("episodes/"):
            assert item["episode"] == item["path"].split("/")[1]
        else:
            assert item["episode"] is None


def test_a_build_reads_the_last_manifests_paths_and_nothing_of_a_broken_one(project):
    out = project.parent / "dist"
    run(project, out)
    assert manifest_module.read_paths(out) == set(manifest_module.read(out)) != set()
    for broken in (b"{", b'{"files": [{"size": 1}]}', b"[]", b'{"files": 3}', b"\xff"):
        (out / "manifest.json").write_bytes(broken)
        assert manifest_module.read_paths(out) == set() == set(manifest_module.read(out))


def test_removed_episode_files_go_and_foreign_files_stay(project):
    out = project.parent / "dist"
    run(project, out)
    foreign = out / "episodes" / "crisp-dm" / "notes-by-hand.txt"
    foreign.parent.mkdir(parents=True, exist_ok=True)
    foreign.write_text("mine", encoding="utf-8")
    (out / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (project.parent / "episodes" / "crisp-dm.md").unlink()
    report = run(project, out)
    assert report.files_removed > 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not any(f["episode"] == "crisp-dm" for f in manifest["files"])
    assert foreign.read_text(encoding="utf-8") == "mine"
    assert (out / "robots.txt").exists()
    left = {p.name for p in (out / "episodes" / "crisp-dm").iterdir()}
    assert left == {"notes-by-hand.txt"}


def test_two_clean_builds_are_byte_identical(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    trees = []
    for name, tz in (("one", "UTC"), ("two", "Asia/Kolkata")):
        monkeypatch.setenv("TZ", tz)
        config = make_project(tmp_path / name / "show", corpus)
        out = tmp_path / name / "dist"
        monkeypatch.chdir(tmp_path / name)
        run(config, out, use_cache=False)
        trees.append({k: v[1] for k, v in snapshot(out).items()})
    assert trees[0] == trees[1]
    assert "manifest.json" in trees[0]


def test_source_date_epoch_reaches_the_show(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_module.source_date_epoch().year == 2023
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert build_module.source_date_epoch() is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_module.source_date_epoch() is None
    assert os.environ.get("SOURCE_DATE_EPOCH") is None


def test_progress_bar_only_on_a_terminal():
    import io

    from feedgen_pod.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Terminal()
    bar = Progress(3, enabled=True, stream=tty)
    for name in ("a.md", "b.md", "c.md"):
        bar.step(name)
    bar.close()
    assert "\r[" in tty.getvalue() and "3/3" in tty.getvalue()
    pipe = io.StringIO()
    bar = Progress(3, enabled=True, stream=pipe)
    assert Progress.for_terminal(3, quiet=False).enabled is False  # pytest's stderr is no tty
    quiet = Progress(3, enabled=False, stream=pipe)
    quiet.step("a.md")
    quiet.close()
    assert pipe.getvalue() == ""


def test_cli_flags_and_summary_line(project, capsys):
    from feedgen_pod.cli import main

    out = project.parent / "site"
    cache = project.parent / "elsewhere"
    args = ["build", "--config", str(project), "--out", str(out), "--cache-dir", str(cache)]
    assert main([*args, "--quiet"]) in (0, 1)
    assert list(cache.rglob("*.pickle"))
    assert main(args) in (0, 1)
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith(f"built 0 episodes, reused {len(EPISODES)}, skipped 0;")
    assert "errors" in line and "warnings in" in line
    assert main([*args, "--no-cache", "--quiet"]) in (0, 1)
    assert f"built {len(EPISODES)} episodes, reused 0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("feed.xml", "application/rss+xml"),
        ("episodes/x/transcript.vtt", "text/vtt"),
        ("episodes/x/transcript.srt", "application/x-subrip"),
        ("episodes/x/chapters.json", "application/json+chapters"),
        ("episodes/x/transcript.json", "application/json"),
        ("episodes/x/episode.jsonld", "application/ld+json"),
        ("episodes/x/transcript.html", "text/html"),
        ("episodes/x/chapters.txt", "text/plain"),
        ("episodes/x/chapters.ffmeta", "text/plain"),
        ("episodes/x/unknown.bin", "application/octet-stream"),
    ],
)
def test_content_types(path, kind):
    assert content_type(path) == kind


def test_new_tool_version_or_format_list_rebuilds_everything(project, monkeypatch):
    out = project.parent / "dist"
    run(project, out)
    monkeypatch.setattr(build_module, "tool_fingerprint", lambda: "feedgen-pod 9.9")
    assert run(project, out).built == len(EPISODES)
    assert run(project, out).reused == len(EPISODES)
    monkeypatch.setattr(
        build_module, "SHOW_FORMATS", [*build_module.SHOW_FORMATS, lambda *a: Rendered()]
    )
    assert run(project, out).built == len(EPISODES)


def test_one_change_renders_one_feed_item_and_the_same_feed_as_a_clean_build(project, monkeypatch):
    """Each episode's feed item is rendered where it is built and kept in the cache: after
    one change only that item is rendered again, and the feed is what a clean build writes."""
    import feedgen_pod.formats.rss as rss

    for n, name in enumerate(EPISODES):  # audio, so every episode is a feed item
        path = project.parent / "episodes" / name
        text = path.read_text(encoding="utf-8")
        audio = f"audio:\n  url: https://example.org/a{n}.mp3\n  length: {1000 + n}\n"
        path.write_text(text.replace("---\n", "---\n" + audio, 1), encoding="utf-8")
    rendered: list[str] = []
    real = rss.item_xml

    def spy(show, episode):
        rendered.append(episode.slug)
        return real(show, episode)

    monkeypatch.setattr(rss, "item_xml", spy)
    out = project.parent / "dist"
    run(project, out)
    assert len(rendered) == len(EPISODES)
    changed = project.parent / "episodes" / "data-team-roles.md"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace('\ntitle: "', '\ntitle: "Renamed ', 1), encoding="utf-8")
    rendered.clear()

    report = run(project, out)
    assert rendered == [slug_for(changed)]
    # what a build keeps (and caches) of each episode leaves its item's text to the item
    assert all(e.feed_item for e in report.episodes)
    assert not any(e.intro or e.notes or e.chapters or e.guests for e in report.episodes)
    clean = project.parent / "clean"
    run(project, clean, use_cache=False)
    feed = (out / "feed.xml").read_bytes()
    assert feed == (clean / "feed.xml").read_bytes()
    assert (out / "podcast.jsonld").read_bytes() == (clean / "podcast.jsonld").read_bytes()
    assert b"<title>Renamed Data Team Roles" in feed
    assert feed.count(b"<item>") == len(EPISODES)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.builds(
            manifest_module.FileEntry,
            st.text(min_size=1),
            st.integers(min_value=0, max_value=2**40),
            st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
            st.sampled_from(["text/vtt", "application/json"]),
            st.none() | st.text(),
        ),
        max_size=6,
    )
)
def test_manifest_bytes_are_jsons_own_layout(entries):
    """The manifest is sorted, indented JSON (as json.dumps lays it out) and reads back."""
    files = [e.to_json() for e in sorted(entries, key=lambda e: e.path)]
    expected = json.dumps(
        {"version": manifest_module.VERSION, "files": files}, indent=2, ensure_ascii=False
    )
    data = manifest_module.dumps(entries)
    assert data == (expected + "\n").encode()
    assert manifest_module.loads(data) == {e.path: e for e in entries}
