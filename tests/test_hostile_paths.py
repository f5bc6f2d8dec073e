"""Names and paths that try to climb out of dist/, or collide: refused or made safe."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hostile_kit import GOOD, check_outputs, episode, make_show, run_build

from feedgen_pod.build.writer import DistWriter, atomic_write, safe_relative
from feedgen_pod.errors import OutputError

SAFE_OUTPUT = re.compile(r"^[a-z0-9._-]+(/[a-z0-9._-]+)*$")


@pytest.mark.parametrize(
    "relative",
    ["../x", "/etc/passwd", "a/../../b", "a\\..\\b", "", "a/./../..", "x\x00y", "..", "."],
)
def test_the_writer_refuses_paths_outside_dist(tmp_path: Path, relative: str) -> None:
    writer = DistWriter(tmp_path / "dist")
    with pytest.raises(OutputError):
        writer.write(relative, b"x")
    assert not (tmp_path / "x").exists() and not (tmp_path / "b").exists()


def test_the_writer_refuses_a_symlink_that_leads_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "dist" / "episodes").mkdir(parents=True)
    os.symlink(outside, tmp_path / "dist" / "episodes" / "evil")
    with pytest.raises(OutputError):
        DistWriter(tmp_path / "dist").write("episodes/evil/feed.xml", b"x")
    assert not list(outside.iterdir())


def test_the_writer_refuses_two_outputs_differing_only_in_case(tmp_path: Path) -> None:
    writer = DistWriter(tmp_path / "dist")
    writer.write("episodes/Ep/a.txt", b"1")
    with pytest.raises(OutputError):
        writer.write("episodes/ep/a.txt", b"2")


def test_safe_relative_keeps_ordinary_paths() -> None:
    assert str(safe_relative("episodes/s01e01/transcript.vtt")) == "episodes/s01e01/transcript.vtt"


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes(b"old")

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


HOSTILE_NAMES = [
    "..md",
    "...md",
    "-.md",
    " .md",
    "..\\..\\evil.md",
    "%2e%2e%2fevil.md",
    "CON.md",
    "🎙️ مرحبا.md",
    "a\u202eb.md",
    "x" * 200 + ".md",
    ".hidden.md",
    "name.md.md",
]


def test_hostile_file_names_give_safe_output_paths(tmp_path: Path) -> None:
    episodes = {name: episode(f"title: File {i}") for i, name in enumerate(HOSTILE_NAMES)}
    run = run_build(make_show(tmp_path, episodes), tmp_path / "dist")
    assert run.code in (0, 1), run.stderr
    files = check_outputs(tmp_path / "dist")
    for rel in files:
        assert SAFE_OUTPUT.match(rel), rel
        assert ".." not in rel.split("/"), rel
    assert not list(tmp_path.glob("evil*")) and not (tmp_path.parent / "evil").exists()


@pytest.mark.parametrize(
    ("names", "drafts"),
    [
        (("Episode.md", "episode.md"), False),
        (("_ep.md", "ep.md"), True),
        (("a b.md", "a-b.md"), False),
    ],
)
def test_names_that_collide_are_reported_and_one_is_built(
    tmp_path: Path, names: tuple[str, str], drafts: bool
) -> None:
    episodes = {name: episode(f"title: Collide {i}") for i, name in enumerate(names)}
    run = run_build(make_show(tmp_path, episodes), tmp_path / "dist", *(["--drafts"] * drafts))
    assert run.code == 1, run.stderr
    assert re.search(r"error: .*(collide|taken|two outputs)", run.stderr), run.stderr
    feed = check_outputs(tmp_path / "dist")["feed.xml"].decode()
    assert feed.count("<title>Collide") == 1


def test_people_keys_and_pictures_cannot_climb_out(tmp_path: Path) -> None:
    content = episode("title: Keys\nguests: ['../../etc/passwd', '/abs', 'guest', 'a/b']")
    people = {"host.md": "---\ntitle: Host\npicture: ../../../etc/passwd\n---\n"}
    run = run_build(make_show(tmp_path, {"keys.md": content}, people=people), tmp_path / "dist")
    assert run.code == 1
    assert "not a people key" in run.stderr
    assert re.search(r"host\.md:3: error: picture: .*site path", run.stderr), run.stderr
    files = check_outputs(tmp_path / "dist")
    blob = b"".join(files.values())
    assert b"etc/passwd" not in blob and b"/abs" not in blob


def test_captions_path_to_a_device_or_fifo_does_not_hang(tmp_path: Path) -> None:
    make_show(tmp_path, {})
    os.mkfifo(tmp_path / "episodes" / "fifo.txt")
    os.symlink("/dev/zero", tmp_path / "episodes" / "zero.txt")
    (tmp_path / "episodes" / "a.md").write_text(episode("title: A\ncaptions: fifo.txt"))
    (tmp_path / "episodes" / "b.md").write_text(episode("title: B\ntimestamps: zero.txt"))
    run = run_build(tmp_path / "config" / "podcast.yaml", tmp_path / "dist")
    assert run.code == 1
    assert run.stderr.count("not a regular file") == 2, run.stderr
    assert b"<title>A</title>" in check_outputs(tmp_path / "dist")["feed.xml"]


def test_an_episode_symlinked_from_outside_is_only_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(GOOD)
    make_show(tmp_path / "show", {}, good=False)
    os.symlink(outside, tmp_path / "show" / "episodes" / "linked.md")
    run = run_build(tmp_path / "show" / "config" / "podcast.yaml", tmp_path / "dist")
    assert run.code in (0, 1)
    assert outside.read_text() == GOOD


def test_paths_in_messages_resolve_as_the_file_system_says(tmp_path: Path, monkeypatch) -> None:
    """``display_path`` names a file as the file system resolves it (links to folders and to
    files, ``..``), relative to the working folder; a missing file or one outside stays as
    given."""
    from feedgen_pod import errors

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.md").write_text("x", encoding="utf-8")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "l.md").symlink_to(tmp_path / "a" / "f.md")
    (tmp_path / "a" / "out.md").symlink_to(tmp_path.parent)
    expected = {
        "a/f.md": "a/f.md",
        "b/f.md": "a/f.md",
        "a/l.md": "a/f.md",
        "a/../b/f.md": "a/f.md",
        "./a/f.md": "a/f.md",
        str(tmp_path / "b" / "l.md"): "a/f.md",
        "a/..": ".",
        "a/.": "a",
        ".": ".",
        "gone/x.md": "gone/x.md",
        "a/out.md": "a/out.md",
    }
    for path, shown in expected.items():
        assert errors.display_path(path) == shown, path
    assert errors.display_path(None) == "<input>"
