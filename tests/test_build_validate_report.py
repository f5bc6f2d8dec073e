"""What ``build`` and ``validate`` tell a user: the same problems (one checking path), the same
``--only``/``--ignore`` on both, ``--strict -q`` naming the warnings that failed the run, a
flood of one warning in one file folded into one line with its count, and counts in the right
number ("1 warning", "2 warnings")."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bigshow import make_show
from conftest import CORPUS, ROOT, needs_shared

from feedgen_pod.cli import main
from feedgen_pod.errors import Problem, Severity
from feedgen_pod.problem_report import FOLD_AFTER, counted, text_lines

FIXTURE = ROOT / "tests" / "fixtures" / "show"
LONG = "A chapter title far longer than the seventy characters YouTube shows of it"
#: the warning only rendering finds (the YouTube chapter list), never the loader
SHORTENED = "youtube-chapter-title-shortened"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in messages are relative to the working folder."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fixture_show(tmp_path: Path) -> Path:
    """The fixture show: one error (an episode without audio) and four warnings of four kinds."""
    shutil.copytree(FIXTURE, tmp_path / "show")
    return tmp_path / "show" / "config" / "podcast.yaml"


@pytest.fixture
def long_title_show(tmp_path: Path) -> Path:
    """Two episodes without a problem but one: a chapter title YouTube would cut."""
    config = make_show(tmp_path / "long", 2)
    path = tmp_path / "long" / "episodes" / "s01e001-episode-1.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Part 2 of episode 1", LONG), encoding="utf-8")
    return config


def run(capsys, *argv: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    said = capsys.readouterr()
    return code, said.out, said.err


def problems_of(report: str) -> Counter:
    """The problems of a ``--format json`` report, as comparable rows."""
    rows = json.loads(report)["problems"]
    return Counter((p["file"], p["line"], p["field"], p["kind"], p["severity"], p["message"])
                   for p in rows)  # fmt: skip


def summary_of(out: str) -> str:
    return out.strip().splitlines()[-1]


# -- one checking path -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fixture_show", "long_title_show"])
def test_validate_reports_exactly_what_build_reports(name: str, request, tmp_path, capsys):
    config = request.getfixturevalue(name)
    built = run(capsys, "build", "--config", config, "--out", tmp_path / "dist", "--no-cache",
                "--format", "json")  # fmt: skip
    checked = run(capsys, "validate", "--config", config, "--format", "json")
    assert problems_of(checked[1]) == problems_of(built[1])
    assert checked[0] == built[0]
    for strict in (["--strict"], ["--strict", "--only", "youtube-*"]):
        code = run(capsys, "build", "--config", config, "--out", tmp_path / "d2", *strict)[0]
        assert run(capsys, "validate", "--config", config, *strict)[0] == code == 1


def test_validate_finds_the_warnings_only_rendering_finds(long_title_show, capsys) -> None:
    code, out, err = run(capsys, "validate", "--config", long_title_show, "--strict")
    assert code == 1
    assert LONG[:40] in err and "shortened in chapters.txt" in err
    assert summary_of(out).endswith("0 errors, 1 warning")


@needs_shared
def test_validate_and_build_agree_on_the_corpus(tmp_path: Path, capsys) -> None:
    folders = ["--episodes", CORPUS / "episodes", "--people", CORPUS / "people"]
    config = ["--config", ROOT / "config" / "podcast.yaml", *folders, "--format", "json"]
    built = run(capsys, "build", *config, "--out", tmp_path / "dist", "--no-cache")
    checked = run(capsys, "validate", *config)
    assert problems_of(checked[1]) == problems_of(built[1])
    assert sum(problems_of(built[1]).values()) > 10


# -- --only, --ignore, --strict -q -----------------------------------------------------------


def test_build_ignore_and_only_choose_what_is_reported_and_fails(fixture_show, tmp_path, capsys):
    build = ["build", "--config", fixture_show, "--out", tmp_path / "dist"]
    code, out, err = run(capsys, *build, "--ignore", "episode-left-out")
    assert code == 0 and "no audio" not in err
    assert summary_of(out).endswith(" 0 errors, 4 warnings in " + summary_of(out).split()[-1])
    code, out, err = run(capsys, *build, "--only", "youtube-*", "--only", "guest-*")
    assert code == 0
    assert [line.split(": warning: ")[0] for line in err.splitlines() if ": warning: " in line] \
        == ["show/episodes/s01e01-first.md", "show/episodes/s01e02-second.md:5"]  # fmt: skip
    assert "0 errors, 2 warnings" in summary_of(out)
    code, out, _ = run(capsys, *build, "--only", "youtube-*", "--strict", "--format", "json")
    assert code == 1 and {row[3] for row in problems_of(out)} == {"youtube-chapters-too-few"}
    # the cache keeps every problem: a build without the flags reports them all again
    code, out, _ = run(capsys, *build)
    assert code == 1 and "reused 3" in summary_of(out) and "1 error, 4 warnings" in summary_of(out)


def test_build_strict_quiet_names_the_warning_that_failed_it(long_title_show, tmp_path, capsys):
    build = ["build", "--config", long_title_show, "--out", tmp_path / "dist", "-q"]
    code, out, err = run(capsys, *build)
    assert code == 0 and not err, "quiet: no warning when it fails nothing"
    code, out, err = run(capsys, *build, "--strict")
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith("long/episodes/s01e001-episode-1.md: warning: chapters: 1 chapter")
    assert summary_of(out).startswith("built 0 episodes, reused 2,")
    assert "0 errors, 1 warning in" in summary_of(out)


# -- folded repeats ----------------------------------------------------------------------------


def test_captions_on_a_wrong_file_prints_one_line_per_kind(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "notes.txt"
    raw.write_text("".join(f"a line of prose number {n}\n" for n in range(1, 878)))
    code, _, err = run(capsys, "captions", raw, "-o", tmp_path / "out.vtt")
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith("notes.txt:1: warning: text before the first time stamp; skipped")
    assert lines[0].endswith(
        "(and 876 more captions-text-before-time warnings in this file, "
        "lines 2, 3, 4, 5, 6, …, 877)"
    )
    assert lines[1] == "error: notes.txt: no 'm:ss text' caption lines found"


def _warnings(path: str, kind: str, count: int, severity=Severity.WARNING) -> list[Problem]:
    return [Problem(path, n, None, f"{kind} {n}", severity, kind) for n in range(1, count + 1)]


def test_a_few_repeats_are_each_shown_and_more_are_one_line() -> None:
    few = _warnings("a.md", "guest-profile-missing", FOLD_AFTER)
    assert text_lines(few) == [str(p) for p in few]
    many = _warnings("b.md", "link-placeholder", FOLD_AFTER + 1)
    (line,) = text_lines(many)
    assert line == f"{many[0]} (and 3 more link-placeholder warnings in this file, lines 2, 3, 4)"
    one_more = _warnings("c.md", "x", 2)
    assert text_lines(one_more + _warnings("c.md", "x", 5)[2:]) == [
        f"{one_more[0]} (and 4 more x warnings in this file, lines 2, 3, 4, 5)"
    ]


def test_folding_is_per_file_per_kind_and_never_of_errors() -> None:
    errors = _warnings("a.md", "duration-invalid", 5, Severity.ERROR)
    assert text_lines(errors) == [str(p) for p in errors]
    mixed = [*_warnings("a.md", "k1", 4), *_warnings("a.md", "k2", 4), *_warnings("b.md", "k1", 4)]
    lines = text_lines(mixed)
    assert len(lines) == 3
    assert [line.split(": warning: ")[0] for line in lines] == ["a.md:1", "a.md:1", "b.md:1"]
    assert "and 3 more k1" in lines[0] or "and 3 more k1" in lines[1]
    unplaced = [Problem("c.md", None, None, "m", Severity.WARNING, "k")] * 5
    assert text_lines(unplaced) == ["c.md: warning: m (and 4 more k warnings in this file)"]
    (single,) = text_lines([*_warnings("d.md", "k", 1), *_warnings("d.md", "k", 4)[3:]] * 2)
    assert single.endswith("(and 3 more k warnings in this file, lines 1, 4)")


# -- plural forms --------------------------------------------------------------------------------


def test_counts_read_in_the_right_number(long_title_show, fixture_show, tmp_path, capsys) -> None:
    assert [counted(n, "warning") for n in (0, 1, 2)] == ["0 warnings", "1 warning", "2 warnings"]
    one = make_show(tmp_path / "one", 1)
    _, out, _ = run(capsys, "build", "--config", one, "--out", tmp_path / "d1", "--no-cache")
    assert summary_of(out).startswith("built 1 episode, reused 0, skipped 0; ")
    assert "; 0 errors, 0 warnings in " in summary_of(out)
    _, out, _ = run(capsys, "build", "--config", fixture_show, "--out", tmp_path / "d2")
    assert "; 1 error, 4 warnings in " in summary_of(out)
    _, out, _ = run(capsys, "validate", "--config", long_title_show)
    assert summary_of(out) == (
        "checked 2 episodes (0 not loadable); 0 with chapter sources that disagree; "
        "0 errors, 1 warning"
    )
    raw = tmp_path / "one.txt"
    raw.write_text("0:00 hello there\n")
    _, out, _ = run(capsys, "captions", raw, "-o", tmp_path / "one.vtt", "--duration", "5")
    assert out.startswith("wrote 1 cue to ")
