"""The report a maintainer acts on: problems grouped by kind (errors first), every problem as
JSON, a Markdown summary, and validate's --only/--ignore."""

from __future__ import annotations

import json

from conftest import ROOT

from feedgen_pod import problem_report
from feedgen_pod.cli import main
from feedgen_pod.errors import Problem, Severity

W = Severity.WARNING


def sample() -> list[Problem]:
    return [
        Problem("b.md", 3, "title", "t", W, kind="chapters-headers-in-a-row"),
        Problem("a.md", 9, "title", "t", W, kind="chapters-headers-in-a-row"),
        Problem("c.md", 1, "audio", "x", kind="audio-id-clash"),
        Problem("d.md", None, "transcript.12", "y", W),
    ]


def test_groups_put_errors_first_then_the_most_frequent() -> None:
    text = problem_report.grouped_text(sample())
    assert text.splitlines() == [
        "error   audio-id-clash ×1: c.md",
        "warning chapters-headers-in-a-row ×2: a.md, b.md",
        "warning transcript-problem ×1: d.md",
    ]


def test_a_group_names_its_first_files_and_counts_the_rest() -> None:
    many = [Problem(f"{i}.md", 1, "f", "m", W, kind="k") for i in range(7)]
    assert problem_report.grouped_text(many) == "warning k ×7: 0.md, 1.md, 2.md and 4 more"


def test_select_by_kind_with_wildcards() -> None:
    found = problem_report.select(sample(), only=["chapters-*", "audio-id-clash"])
    assert {p.path for p in found} == {"a.md", "b.md", "c.md"}
    found = problem_report.select(sample(), ignore=["chapters-*"])
    assert {p.path for p in found} == {"c.md", "d.md"}


def test_build_json_lists_every_problem_with_its_place(tmp_path, capsys) -> None:
    fixture = ROOT / "tests" / "fixtures" / "show"
    args = ["build", "--config", str(fixture / "config" / "podcast.yaml"), "--out",
            str(tmp_path / "dist"), "--format", "json", "--no-cache"]  # fmt: skip
    code = main(args)
    out = capsys.readouterr().out
    document = json.loads(out)  # stdout is the JSON document alone
    assert code == 1 and document["summary"]["errors"] == 1
    [left_out] = [p for p in document["problems"] if p["severity"] == "error"]
    assert left_out["kind"] == "episode-left-out" and left_out["field"] == "audio"
    assert left_out["file"].endswith("s01e03-no-audio.md")
    keys = {"file", "line", "field", "kind", "severity", "message"}
    assert all(set(p) == keys for p in document["problems"])


def test_build_text_ends_with_the_kinds_then_the_summary_line(tmp_path, capsys) -> None:
    fixture = ROOT / "tests" / "fixtures" / "show"
    main(["build", "--config", str(fixture / "config" / "podcast.yaml"), "--out",
          str(tmp_path / "dist"), "--no-cache"])  # fmt: skip
    out, err = capsys.readouterr()
    kinds = err.split("\nby kind:\n", 1)[1].splitlines()
    assert kinds[0].startswith("error   episode-left-out ×1: ")
    assert out.splitlines()[-1].startswith("built 3 episodes")


def test_validate_markdown_and_only(corpus, capsys) -> None:
    base = ["validate", "--config", str(ROOT / "config" / "podcast.yaml"), "--episodes",
            str(corpus / "episodes"), "--people", str(corpus / "people")]  # fmt: skip
    main([*base, "--format", "markdown"])
    page = capsys.readouterr().out
    assert page.startswith("## feedgen-pod validate\n")
    assert "| error | `episode-left-out` |" in page and "### Errors" in page
    code = main([*base, "--format", "json", "--ignore", "episode-left-out"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and document["summary"]["errors"] == 0
    assert document["problems"] and all(p["severity"] != "error" for p in document["problems"])
    main([*base, "--format", "json", "--only", "episode-left-out"])
    document = json.loads(capsys.readouterr().out)
    assert {p["kind"] for p in document["problems"]} == {"episode-left-out"}
