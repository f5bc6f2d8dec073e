"""The repair of dead links: replacements at their lines, a patch ``git apply`` takes, and
nothing else touched (line endings, a missing last newline, a byte order mark, longer URLs)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.linkcheck.fix import Replacement, patch, plan, replace_in_line, write_files
from feedgen_pod.linkcheck.types import Source

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
DEAD = "https://dead.example/post"
NEW = "https://web.archive.org/web/20210504101010/https://dead.example/post"


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "core.autocrlf=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=check,
    )


@pytest.mark.parametrize(
    ("line", "expected", "count"),
    [
        (f"- [post]({DEAD})", f"- [post]({NEW})", 1),
        (f"<{DEAD}>", f"<{NEW}>", 1),
        (f"see {DEAD}.", f"see {NEW}.", 1),
        (f"**{DEAD}**", f"**{NEW}**", 1),
        (f'<a href="{DEAD}">x</a>', f'<a href="{NEW}">x</a>', 1),
        (f"web: {DEAD}", f"web: {NEW}", 1),
        (f"{DEAD}s and {DEAD}/more and {DEAD}?x=1", f"{DEAD}s and {DEAD}/more and {DEAD}?x=1", 0),
        (f"https://web.archive.org/web/2020/{DEAD}", f"https://web.archive.org/web/2020/{DEAD}", 0),
        (f"{DEAD} and [again]({DEAD})", f"{NEW} and [again]({NEW})", 2),
        (f"{DEAD}.html", f"{DEAD}.html", 0),
    ],
)
def test_only_whole_urls_are_replaced(line, expected, count):
    assert replace_in_line(line, DEAD, NEW) == (expected, count)


def _project(tmp: Path) -> dict[str, bytes]:
    files = {
        "episodes/a.md": (
            f"---\ntitle: A\nlinks:\n  blog: {DEAD}\n---\n\nNotes with [the post]({DEAD}).\n"
            "Keep https://ok.example/ here.\n"
        ).encode(),
        "episodes/crlf.md": (
            b"---\r\ntitle: B\r\n---\r\n\r\nSee <https://dead.example/other> today.\r\n"
            b"Also https://dead.example/other-page stays.\r\n"
        ),
        "episodes/no-newline.md": b"---\ntitle: C\n---\n\nLast: https://dead.example/third",
        "people/bom.md": f"\ufeff---\ntitle: P\nweb: {DEAD}\n---\n\nBio.\n".encode(),
    }
    for name, data in files.items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_bytes(data)
    return files


def _replacements() -> list[Replacement]:
    return [
        Replacement(Source("episodes/a.md", 4, "links.blog"), DEAD, NEW),
        Replacement(Source("episodes/a.md", 7, "notes"), DEAD, NEW),
        Replacement(
            Source("episodes/crlf.md", 5, "notes"),
            "https://dead.example/other",
            "https://web.archive.org/web/2019/https://dead.example/other",
        ),
        Replacement(
            Source("episodes/no-newline.md", 5, "notes"),
            "https://dead.example/third",
            "https://web.archive.org/web/2018/https://dead.example/third",
        ),
        Replacement(Source("people/bom.md", 3, "web"), DEAD, NEW),
        # the URL is not written on that line: left for a person, never guessed elsewhere
        Replacement(Source("episodes/a.md", 2, "notes"), DEAD, NEW),
    ]


@needs_git
def test_patch_applies_with_git_and_changes_only_the_dead_urls(tmp_path, monkeypatch):
    files = _project(tmp_path)
    _git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    found = plan(_replacements())
    assert len(found.done) == 5
    assert [(r.source.line, why) for r, why in found.skipped] == [
        (2, "the URL is not written as such on line 2")
    ]
    (tmp_path / "links.patch").write_text(patch(found), encoding="utf-8", newline="")
    checked = _git(tmp_path, "apply", "--check", "-v", "links.patch", check=False)
    assert checked.returncode == 0, checked.stderr
    _git(tmp_path, "apply", "links.patch")
    for name, before in files.items():
        after = (tmp_path / name).read_bytes()
        # the same bytes, but for the replaced URLs
        restored = (
            after.replace(NEW.encode(), DEAD.encode())
            .replace(b"https://web.archive.org/web/2019/", b"")
            .replace(b"https://web.archive.org/web/2018/", b"")
        )
        assert restored == before, name
        assert after != before, name
    assert (tmp_path / "episodes/crlf.md").read_bytes().count(b"\r\n") == 6
    assert not (tmp_path / "episodes/no-newline.md").read_bytes().endswith(b"\n")
    assert (tmp_path / "people/bom.md").read_bytes().startswith("\ufeff".encode())


def test_write_makes_the_same_change_as_the_patch(tmp_path, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    found = plan(_replacements())
    write_files(found)
    for name, (_, after) in found.texts.items():
        assert (tmp_path / name).read_bytes() == after.encode("utf-8")
    # a second plan over the written files finds nothing left to replace
    again = plan(_replacements())
    assert not again.done and not again.texts


def test_unreadable_file_and_missing_line_are_skipped_with_why(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "short.md").write_text("one line\n", encoding="utf-8")
    found = plan(
        [
            Replacement(Source("missing.md", 1, "notes"), DEAD, NEW),
            Replacement(Source("short.md", 9, "notes"), DEAD, NEW),
        ]
    )
    reasons = sorted(why for _, why in found.skipped)
    assert reasons[0].startswith("cannot read missing.md")
    assert reasons[1] == "short.md has no line 9"
    assert patch(found) == ""


_SEGMENT = st.text(alphabet=st.sampled_from("ab \t\r()[]<>.,*\"'é"), min_size=0, max_size=12)


@needs_git
@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.tuples(_SEGMENT, st.booleans(), _SEGMENT), min_size=1, max_size=6),
    st.booleans(),
)
def test_any_text_round_trips_through_git_apply(lines, final_newline):
    """Whatever surrounds the URL, the patch applies and reverses to the original bytes."""
    import tempfile

    text = "\n".join(f"{a}{DEAD if has else ''}{b}" for a, has, b in lines)
    text += "\n" if final_newline else ""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "e.md").write_bytes(text.encode("utf-8"))
        _git(repo, "init", "-q")
        replacements = [
            Replacement(Source("e.md", i + 1, "notes"), DEAD, NEW)
            for i, (_, has, _) in enumerate(lines)
            if has
        ]
        found = plan(replacements, read=lambda p: (repo / p).read_bytes().decode("utf-8"))
        diff = patch(found)
        if not found.texts:
            assert diff == ""
            return
        (repo / "p.diff").write_text(diff, encoding="utf-8", newline="")
        result = _git(repo, "apply", "p.diff", check=False)
        assert result.returncode == 0, (result.stderr, diff)
        assert (repo / "e.md").read_bytes().decode("utf-8") == found.texts["e.md"][1]
        _git(repo, "apply", "-R", "p.diff")
        assert (repo / "e.md").read_bytes() == text.encode("utf-8")
