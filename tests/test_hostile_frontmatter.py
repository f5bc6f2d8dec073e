"""Broken and hostile front matter: a message with file, line and field; the rest builds in full.

Every test builds a show holding ``good.md`` next to the hostile file, through the real CLI, and
then parses every output with its consumer (see ``hostile_kit.check_outputs``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_kit import (
    GOOD_SLUG,
    check_outputs,
    episode,
    episode_files,
    make_show,
    run_build,
)

from feedgen_pod.load.episodes import FIELDS
from feedgen_pod.load.frontmatter import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The outputs of ``good.md`` alone: a hostile neighbour must not change one byte of them."""
    root = tmp_path_factory.mktemp("baseline")
    run = run_build(make_show(root, {}), root / "dist")
    assert run.code == 0, run.stderr
    return check_outputs(root / "dist")


def build(tmp_path: Path, episodes: dict[str, str | bytes], **kw) -> tuple:
    run = run_build(make_show(tmp_path, episodes, **kw), tmp_path / "dist")
    return run, check_outputs(tmp_path / "dist")


def assert_good_intact(files: dict[str, bytes], baseline: dict[str, bytes]) -> None:
    assert episode_files(files, GOOD_SLUG) == episode_files(baseline, GOOD_SLUG)
    assert f"https://example.org/podcast/{GOOD_SLUG}.html".encode() in files["feed.xml"]


def assert_reported(stderr: str, name: str, line: int | None, field: str | None, *words: str):
    """One error line names the file, the line, the field and says what is wrong."""
    head = f"{name}:{line}: error: " if line else f"{name}: error: "
    lines = [ln for ln in stderr.splitlines() if head in ln]
    if field:
        lines = [ln for ln in lines if f"error: {field}" in ln]
    lines = [ln for ln in lines if all(w.lower() in ln.lower() for w in words)]
    assert lines, f"no error {head!r} {field!r} {words!r} in:\n{stderr}"


# -- the file cannot be used at all: skipped, reported, the others built ----------------------

BILLION_LAUGHS = "---\n" + "\n".join(
    ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    + ["title: *a9", "---", ""]
)

UNUSABLE = [
    ("missing", "Just some notes, no front matter.\n", 1, "no front matter"),
    ("unterminated", "---\ntitle: Open\nseason: 1\n", 4, "not closed"),
    ("empty", "---\n---\nBody\n", 2, "empty"),
    ("blank", "---\n\n   \n---\nBody\n", 2, "empty"),
    ("list", "---\n- a\n- b\n---\n", 2, "must be a mapping"),
    ("scalar", "---\njust a sentence\n---\n", 2, "must be a mapping"),
    ("syntax", "---\ntitle: [unclosed\nseason: 1\n---\n", 3, "does not parse"),
    ("tab-indent", "---\ntitle: x\n\tseason: 1\n---\n", 3, "does not parse"),
    (
        "python-apply",
        "---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n",
        2,
        "parse",
    ),
    ("python-name", "---\ntitle: !!python/name:os.system\n---\n", 2, "parse"),
    ("python-object", "---\ntitle: !!python/object:feedgen_pod.model.Show {}\n---\n", 2, "parse"),
    ("custom-tag", "---\ntitle: !Ref something\n---\n", 2, "parse"),
    ("billion-laughs", BILLION_LAUGHS, None, "alias bomb"),
    ("recursive-alias", "---\ntitle: x\nloop: &a\n  - *a\n---\n", 3, "refers to itself"),
    ("latin-1", b"---\ntitle: Caf\xe9 au lait\n---\n", 2, "not UTF-8"),
    ("utf-16", "---\ntitle: UTF-16\n---\n".encode("utf-16"), 1, "not UTF-8"),
    ("no-title", "---\nseason: 1\nepisode: 2\n---\n", None, "no title"),
    ("deep-nesting", "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n", None, ""),
]


@pytest.mark.parametrize(
    ("name", "content", "line", "phrase"), UNUSABLE, ids=[c[0] for c in UNUSABLE]
)
def test_unusable_file_is_skipped_with_a_message(
    tmp_path: Path, baseline, name: str, content, line, phrase: str
) -> None:
    run, files = build(tmp_path, {f"{name}.md": content})
    assert run.code == 1, run.stderr
    if line is not None:
        assert_reported(run.stderr, f"{name}.md", line, None, phrase)
    else:
        assert any(
            f"{name}.md" in ln and phrase.lower() in ln.lower() for ln in run.stderr.splitlines()
        ), run.stderr
    assert not episode_files(files, name)
    assert "skipped 1" in run.stdout
    assert_good_intact(files, baseline)


def test_object_tags_construct_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    content = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    run, _ = build(tmp_path, {"evil.md": content})
    assert run.code == 1
    assert not marker.exists()


def test_fifty_megabyte_file_is_refused_unread(tmp_path: Path, baseline) -> None:
    big = tmp_path / "big.md"
    make_show(tmp_path, {"big.md": episode("title: Big")})
    with open(tmp_path / "episodes" / "big.md", "r+b") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the test stays fast and small on disk
    assert not big.exists()
    run = run_build(tmp_path / "config" / "podcast.yaml", tmp_path / "dist")
    assert run.code == 1
    assert_reported(run.stderr, "big.md", None, None, "50.0 MB", f"{MAX_FILE_BYTES // 2**20} MB")
    assert_good_intact(check_outputs(tmp_path / "dist"), baseline)


def test_a_fifo_named_like_an_episode_does_not_hang(tmp_path: Path, baseline) -> None:
    make_show(tmp_path, {})
    os.mkfifo(tmp_path / "episodes" / "pipe.md")
    run = run_build(tmp_path / "config" / "podcast.yaml", tmp_path / "dist")
    assert run.code in (0, 1)
    assert_good_intact(check_outputs(tmp_path / "dist"), baseline)


# -- a field is wrong: the field is left out, the episode is still built ----------------------

WRONG_TYPE = {"nested": [1, 2]}
BUILT_FIELDS = sorted(set(FIELDS) - {"layout"})


@pytest.mark.parametrize("key", BUILT_FIELDS)
def test_every_field_with_the_wrong_type(tmp_path: Path, baseline, key: str) -> None:
    base = {"title": "Wrong types", "short": "Wrong", "season": "3", "episode": "4"}
    base.pop(key, None)
    front = "\n".join(f"{k}: {v}" for k, v in base.items()) + f"\n{key}:\n  nested: [1, 2]"
    run, files = build(tmp_path, {"wrong.md": episode(front)})
    assert run.code == 1, run.stderr
    line = front.split("\n").index(f"{key}:") + 2
    reported = [
        ln
        for ln in run.stderr.splitlines()
        if any(f"wrong.md:{n}: error: {key}" in ln for n in (line, line + 1))
    ]
    assert reported, run.stderr
    assert episode_files(files, "wrong"), "the episode must still be built"
    assert_good_intact(files, baseline)


WRONG_VALUES = [
    ("season: -1", "season", "whole number"),
    ("season: 1.5", "season", "whole number"),
    ("season: abc", "season", "whole number"),
    ("episode: 99999999999999999999999999", "episode", "whole number"),
    ("duration: .inf", "duration", "ISO 8601"),
    ("duration: -5", "duration", "ISO 8601"),
    ("duration: 90 min", "duration", "ISO 8601"),
    ("duration: PT99999H", "duration", "100 hours"),
    ("date: 2024-13-45", "date", "date"),
    ("date: not a date at all", "date", "date"),
    ("date: [2024, 1, 2]", "date", "date"),
    ("guests: [1, 2]", "guests", "people keys"),
    ("guests: ['../../etc/passwd']", "guests", "not a people key"),
    ("guests: [/etc/passwd]", "guests", "not a people key"),
    ("links: {youtube: 'javascript:alert(1)'}", "links.youtube", "http"),
    ("links: {web: 'file:///etc/passwd'}", "links.web", "http"),
    ("links: [a, b]", "links", "mapping"),
    ("ids: [a, b]", "ids", "mapping"),
    ("ids: {youtube: '\"><script>alert(1)</script>'}", "ids.youtube", "YouTube"),
    ("image: ../../../etc/passwd", "image", "site path"),
    ("image: 'javascript:alert(1)'", "image", "https URL"),
    ("image: 'file:///etc/passwd'", "image", "https URL"),
    ("image: //evil.example/x.jpg", "image", "https URL"),
    ("captions: ../../etc/passwd", "captions", "relative"),
    ("captions: /etc/passwd", "captions", "relative"),
    ("timestamps: /dev/zero", "timestamps", "relative"),
    ("audio: [a, b]", "audio", "mapping"),
    ("audio: {url: 'ftp://x.example/a.mp3', length: 1}", "audio", "http"),
    ("audio: {url: 'https://x.example/a.mp3', length: -1}", "audio", "bytes"),
    ("audio: {url: 'https://x.example/a.mp3', length: big}", "audio", "bytes"),
    ("audio: {url: 'https://x.example/a.mp3', length: 1, type: '\"><x>'}", "audio", "MIME"),
    ("quotableClips: {name: x}", "quotableClips", "list"),
    ("quotableClips: [just text]", "quotableClips.0", "clip"),
    ("quotableClips: [{name: x, startOffset: -1}]", "quotableClips.0", "0 to 100 hours"),
    (
        "quotableClips: [{name: x, startOffset: 1, url: 'javascript:x'}]",
        "quotableClips.0.url",
        "http",
    ),
    ("transcript: {line: hello}", "transcript", "list"),
    ("transcript: just words", "transcript", "list"),
]


@pytest.mark.parametrize(
    ("yaml_line", "field", "phrase"), WRONG_VALUES, ids=[v[0][:40] for v in WRONG_VALUES]
)
def test_wrong_values_are_reported_and_the_episode_built(
    tmp_path: Path, baseline, yaml_line: str, field: str, phrase: str
) -> None:
    content = episode(f"title: Wrong value\n{yaml_line}")
    run, files = build(tmp_path, {"wrong.md": content})
    assert run.code == 1, run.stderr
    assert_reported(run.stderr, "wrong.md", 3, field, phrase)
    assert episode_files(files, "wrong")
    assert_good_intact(files, baseline)


def test_duplicate_keys_are_an_error_naming_the_second(tmp_path: Path, baseline) -> None:
    content = episode("title: First title\nseason: 1\ntitle: Second title")
    run, files = build(tmp_path, {"dup.md": content})
    assert run.code == 1
    assert_reported(run.stderr, "dup.md", 4, "title", "duplicate key")
    assert b"Second title" in files["feed.xml"]
    assert_good_intact(files, baseline)


# -- encodings and characters --------------------------------------------------------------------


def test_bom_and_crlf_build_cleanly(tmp_path: Path) -> None:
    text = episode(
        "title: Windows file\nseason: 2", transcript="transcript:\n- line: Hi.\n  sec: 1"
    )
    content = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    old_mac = episode("title: Old Mac file").replace("\n", "\r").encode()
    run, files = build(tmp_path, {"win.md": content, "mac.md": old_mac})
    assert run.code == 0, run.stderr
    feed = files["feed.xml"].decode()
    assert "<title>Windows file</title>" in feed
    assert "<title>Old Mac file</title>" in feed
    assert "\r" not in feed


def test_rtl_and_emoji_survive_everywhere(tmp_path: Path) -> None:
    title = "مرحبا بالعالم 🎙️ שלום \u202eevil\u202c 👩🏽‍💻"
    content = episode(
        f"title: '{title}'",
        transcript=f"transcript:\n- line: '{title}'\n  sec: 1\n  who: 'نور 🌙'",
    )
    run, files = build(tmp_path, {"rtl.md": content})
    assert run.code == 0, run.stderr
    assert title.encode() in files["feed.xml"]
    vtt = files["episodes/rtl/transcript.vtt"].decode()
    assert title in vtt


CONTROLS = "A\x00B\x01C\x08D\x0bE\x0cF\x1bG\x7fH\x90I\ufffeJ\uffff"


def test_raw_control_characters_are_removed_and_reported(tmp_path: Path, baseline) -> None:
    content = episode(
        f"title: Control {CONTROLS} title",
        body="Notes with a bell \x07 here.\n",
        transcript=f"transcript:\n- line: Spoken {CONTROLS} text\n  sec: 1\n  who: Ho\x00st",
    )
    run, files = build(tmp_path, {"ctrl.md": content})
    assert run.code == 1, run.stderr
    assert_reported(run.stderr, "ctrl.md", 2, None, "U+0000", "U+FFFF", "delete them")
    assert_reported(run.stderr, "ctrl.md", 8, None, "control characters", "delete them")
    feed = files["feed.xml"].decode()
    assert "<title>Control ABCDEFGHIJ title</title>" in feed
    assert "Spoken ABCDEFGHIJ text" in files["episodes/ctrl/transcript.vtt"].decode()
    assert_good_intact(files, baseline)


def test_yaml_escaped_control_characters_are_removed_and_reported(tmp_path: Path) -> None:
    content = episode(
        'title: "Escaped \\0 \\x1b \\a \\uFFFE title"',
        transcript='transcript:\n- line: "bad \\0 line"\n  sec: 1',
    )
    person = '---\ntitle: "Gue\\0st \\x07Name"\n---\n'
    run, files = build(tmp_path, {"esc.md": content}, people={"guest.md": person})
    assert run.code == 1, run.stderr
    assert_reported(run.stderr, "esc.md", 2, None, "escape")
    assert_reported(run.stderr, "esc.md", 8, None, "escape")
    assert_reported(run.stderr, "guest.md", 2, None, "escape")
    assert re.search(r"<title>Escaped\s+title</title>", files["feed.xml"].decode())
    assert "Guest Name" in files["feed.xml"].decode()


# -- many hostile files at once, through a real process -------------------------------------------


def test_a_real_process_reports_everything_without_a_traceback(tmp_path: Path) -> None:
    episodes = {f"{name}.md": content for name, content, _, _ in UNUSABLE}
    episodes["ctrl.md"] = episode(f"title: C {CONTROLS}")
    episodes["wrong.md"] = episode("title: W\nseason: x\nduration: .nan")
    config = make_show(tmp_path, episodes)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "feedgen_pod",
            "build",
            "--config",
            str(config),
            "--out",
            str(tmp_path / "dist"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in episodes:
        assert name in proc.stderr, name
    files = check_outputs(tmp_path / "dist")
    assert episode_files(files, GOOD_SLUG)
    assert episode_files(files, "ctrl") and episode_files(files, "wrong")


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (BILLION_LAUGHS, "alias bomb"),
        (b"---\ntitle: Gu\xe9st\n---\n", "not UTF-8"),
        ("no front matter", "no front matter"),
        ("---\ntitle: [a, b]\ngithub: {x: 1}\n---\n", "expected text"),
    ],
    ids=["alias-bomb", "latin-1", "no-front-matter", "wrong-types"],
)
def test_a_broken_people_profile_is_reported_and_episodes_build(
    tmp_path: Path, baseline, content, phrase: str
) -> None:
    run, files = build(tmp_path, {}, people={"guest.md": content})
    assert run.code == 1, run.stderr
    assert any("guest.md" in ln and phrase.lower() in ln.lower() for ln in run.stderr.splitlines())
    assert episode_files(files, GOOD_SLUG)
    assert b"<title>A good episode</title>" in files["feed.xml"]


def test_validate_reports_the_same_files_and_writes_nothing(tmp_path: Path) -> None:
    import contextlib
    import io

    from feedgen_pod.cli import main

    episodes = {f"{name}.md": content for name, content, _, _ in UNUSABLE}
    config = make_show(tmp_path, episodes)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["validate", "--config", str(config)])
    assert code == 1
    assert "Traceback" not in err.getvalue()
    for name in episodes:
        assert name in err.getvalue(), name
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_cached_rebuild_reports_the_same_problems(tmp_path: Path) -> None:
    """Episodes reused from the build cache still print their problems and fail the build."""
    episodes = {
        "ctrl.md": episode(f"title: C {CONTROLS}"),
        "wrong.md": episode("title: W\nseason: x"),
        "missing.md": "no front matter",
    }
    config = make_show(tmp_path, episodes)
    first = run_build(config, tmp_path / "dist")
    second = run_build(config, tmp_path / "dist")
    assert first.code == second.code == 1
    assert "reused 3" in second.stdout
    assert sorted(first.stderr.splitlines()) == sorted(second.stderr.splitlines())
