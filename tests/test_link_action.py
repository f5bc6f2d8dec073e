"""``action.yml``: a composite GitHub Action whose steps are switchable by inputs, whose inputs
are all documented, and whose scripts really run build, diff and check-links (run here with
bash, as the runner does, against the loopback world)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from healthworld import TOKEN, World
from test_link_health import make_show

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
DOCS = (ROOT / "docs" / "link-health.md").read_text(encoding="utf-8")
STEPS = {step.get("id"): step for step in ACTION["runs"]["steps"]}


@pytest.fixture(scope="module")
def world():
    w = World()
    yield w
    w.close()


def test_composite_action_with_documented_inputs():
    assert ACTION["runs"]["using"] == "composite"
    for name in ACTION["inputs"]:
        assert f"| `{name}` |" in DOCS, name
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])
    for output in ACTION["outputs"]:
        assert f"`{output}`" in DOCS


def test_each_command_step_is_switched_by_its_input_and_takes_no_expressions_in_scripts():
    for step_id, flag in (("build", "build"), ("diff", "diff"), ("check-links", "check-links")):
        step = STEPS[step_id]
        assert f"inputs.{flag} == 'true'" in step["if"]
        assert f"feedgen-pod {step_id}" in step["run"]
    for step in ACTION["runs"]["steps"]:
        # inputs reach scripts through the environment only (no injection through an input)
        assert "${{" not in step.get("run", ""), step.get("name")
        if "run" in step:
            assert step["shell"] == "bash"


def _run_step(step: dict, inputs: dict[str, str], cwd: Path, env: dict[str, str]) -> int:
    """A step's script as the runner runs it: bash -eo pipefail, its env with inputs filled."""
    values = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()} | inputs
    step_env = {
        key: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], str(value))
        for key, value in step.get("env", {}).items()
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env={**env, **step_env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    env["LAST_OUT"] = done.stdout + done.stderr
    return done.returncode


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_action_scripts_build_diff_and_check(tmp_path, world):
    urls = make_show(tmp_path, world)
    runner = tmp_path / "runner"
    runner.mkdir()
    outputs, summary = runner / "output", runner / "summary.md"
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(runner),
    }
    if not shutil.which("feedgen-pod", path=env["PATH"]):
        pytest.skip("feedgen-pod is not installed as a command next to this Python")
    assert _run_step(STEPS["build"], {}, tmp_path, env) == 0, env["LAST_OUT"]
    live = runner / "live.xml"
    live.write_bytes((tmp_path / "dist/feed.xml").read_bytes())
    code = _run_step(STEPS["diff"], {"live-feed": str(live)}, tmp_path, env)
    assert code == 0, env["LAST_OUT"]
    inputs = {"github-token": TOKEN, "suggest": "true", "fail-after": "1"}
    code = _run_step(STEPS["check-links"], inputs, tmp_path, env)
    out = env["LAST_OUT"]
    assert code == 1, out
    # annotations for broken links only; the summary has both reports
    assert re.search(r"^::error file=episodes/s01e01-links\.md,line=5,", out, re.M)
    assert not re.search(r"^::\w+ .*" + re.escape(urls["linkedin"]), out, re.M)
    assert outputs.read_text(encoding="utf-8").splitlines() == ["exit-code=0", "exit-code=1"]
    text = summary.read_text(encoding="utf-8")
    assert "## Link check" in text and "### Repaired" in text
    assert 0 <= text.index("## Feed diff") < text.index("## Link check")
    # a missing live feed is a clear error
    (tmp_path / "config/podcast.yaml").write_text(
        re.sub(r"(?m)^feed_url:.*\n", "", (tmp_path / "config/podcast.yaml").read_text()),
        encoding="utf-8",
    )
    assert _run_step(STEPS["diff"], {}, tmp_path, env) == 2
    assert "no live feed" in env["LAST_OUT"]
