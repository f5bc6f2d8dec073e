"""check-links as a command and as the program: a config error stops it before any request,
what is reported comes from the loaded show, and the report and exit code are whole."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from linkserver import Servers

from feedgen_pod.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONFIG = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")


def _project(tmp: Path, servers: Servers, extra_config: str = "") -> None:
    port = servers.port(0)
    config = (
        re.sub(r"(?m)^audio_feed:.*\n", "", CONFIG)
        + extra_config
        + (
            "links:\n  timeout: 0.5\n  retries: 0\n  exclude: ['datatalks\\.club']\n"
            f"  allow_private_hosts: ['127.0.0.1:{port}']\n"
        )
    )
    for sub in ("config", "episodes", "people"):
        (tmp / sub).mkdir(exist_ok=True)
    (tmp / "config" / "podcast.yaml").write_text(config, encoding="utf-8")
    (tmp / "episodes" / "e.md").write_text(
        f"---\ntitle: E\nlinks:\n  youtube: {servers.url(0, '/r302')}\n---\n\n"
        f"- <{servers.url(0, '/ok')}>\n- <{servers.url(0, '/head405')}>\n",
        encoding="utf-8",
    )
    # the loader drops this file (no title): its links are not checked
    (tmp / "episodes" / "untitled.md").write_text(
        f"---\nshort: ''\n---\n\n- <{servers.url(0, '/410')}>\n", encoding="utf-8"
    )


def test_a_config_error_anywhere_stops_the_command_before_any_request(
    tmp_path, monkeypatch, servers, capsys
):
    """The whole config is validated first: a wrong key outside ``links:`` is exit 2 with no
    request made."""
    _project(tmp_path, servers, "medium: radio\n")
    hits = servers.servers[0].hits
    before = sum(hits.values())
    monkeypatch.chdir(tmp_path)
    assert main(["check-links", "--quiet", "--no-cache"]) == 2
    assert "medium" in capsys.readouterr().err
    assert sum(hits.values()) == before


def test_command_reports_the_collectors_links_only(tmp_path, monkeypatch, servers, capsys):
    """Front matter and notes links are checked and reported with their lines; a file the
    loader drops is neither checked nor reported."""
    import json

    _project(tmp_path, servers)
    monkeypatch.chdir(tmp_path)
    asked = servers.servers[0].hits["/410"]
    assert main(["check-links", "--quiet", "--no-cache", "--format", "json"]) == 0
    assert servers.servers[0].hits["/410"] == asked
    results = json.loads(capsys.readouterr().out)["results"]
    got = {
        r["url"].rsplit("/", 1)[-1]: (r["status"], r["sources"])
        for r in results
        if r["status"] != "excluded"  # the config's own datatalks.club URLs
    }
    assert got == {
        "r302": ("ok", [{"path": "episodes/e.md", "line": 4, "field": "links.youtube"}]),
        "ok": ("ok", [{"path": "episodes/e.md", "line": 7, "field": "notes"}]),
        "head405": ("ok", [{"path": "episodes/e.md", "line": 8, "field": "notes"}]),
    }


def _program(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as a program, its output buffered as usual (not ``PYTHONUNBUFFERED``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "feedgen_pod", "check-links", "--no-cache", *args],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_program_writes_its_whole_report_and_exit_code(tmp_path, servers):
    """Run as the program: the report on standard output, far beyond a pipe's buffer or a
    short one left in it, is whole, and so is the exit code."""
    import json

    _project(tmp_path, servers)
    body = "\n".join(f"- <{servers.url(0, f'/ok?n={n}')}>" for n in range(300))
    (tmp_path / "episodes" / "e.md").write_text(
        f"---\ntitle: E\n---\n\n{body}\n- <{servers.url(0, '/404')}>\n", encoding="utf-8"
    )
    (tmp_path / "episodes" / "untitled.md").unlink()
    out = _program(tmp_path, "--format", "json")
    assert out.returncode == 1, out.stderr
    results = [r for r in json.loads(out.stdout)["results"] if r["status"] != "excluded"]
    assert len(out.stdout) > 100_000
    assert sorted(r["status"] for r in results) == ["broken"] + ["ok"] * 300
    (tmp_path / "episodes" / "e.md").write_text(
        f"---\ntitle: E\n---\n\n- <{servers.url(0, '/ok')}>\n", encoding="utf-8"
    )
    out = _program(tmp_path, "--quiet")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "4 links: 1 ok, 3 excluded\n"
