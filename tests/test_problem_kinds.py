"""Every problem the tool reports carries a kind, so ``--only``/``--ignore`` and the grouped
report can name it: checked in the source (each place a problem is made) and on the corpus."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.config import load_config

#: the calls that make a problem, and the argument position a kind may take instead of kind=
MAKERS = {"Problem": 5, "report": 2, "warn": 3, "_warn": 3, "_problem": 2}
KIND = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _calls_without_kind(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in MAKERS or (path.name == "directory_rules.py" and name == "report"):
            continue
        if any(k.arg == "kind" for k in node.keywords) or len(node.args) > MAKERS[name]:
            continue
        missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return missing


def test_each_place_a_problem_is_made_gives_its_kind() -> None:
    missing = [
        where
        for path in sorted((ROOT / "feedgen_pod").rglob("*.py"))
        if path.name not in {"errors.py", "validate.py"}  # the class; a display-only copy
        for where in _calls_without_kind(path)
    ]
    assert not missing, missing


def test_kinds_given_in_the_source_are_short_codes() -> None:
    kinds = set()
    for path in (ROOT / "feedgen_pod").rglob("*.py"):
        kinds.update(re.findall(r'kind="([^"]*)"', path.read_text(encoding="utf-8")))
    bad = sorted(k for k in kinds if not KIND.match(k))
    assert not bad and len(kinds) > 40, bad


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
def test_every_problem_of_a_corpus_build_has_a_kind(tmp_path: Path) -> None:
    show, _ = load_config(ROOT / "config" / "podcast.yaml")
    show = replace(show, episodes_dir=CORPUS / "episodes", people_dir=CORPUS / "people")
    report = build(show, BuildOptions(out=tmp_path / "dist", use_cache=False))
    assert report.problems
    assert [str(p) for p in report.problems if not p.kind] == []
