"""``check-links`` against a loopback server that misbehaves on purpose, and with no network
at all: each link ends with its status within its deadline, what servers sent never reaches a
report raw (the JUnit XML stays parseable), and offline is its own exit code, not "broken"."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import etree
from netserver import NetServer
from test_net_commands import clean, cli

from feedgen_pod.linkcheck.engine import network_unreachable
from feedgen_pod.linkcheck.probe import NO_HOST, OFFLINE, Attempt
from feedgen_pod.linkcheck.types import Status

ROOT = Path(__file__).resolve().parent.parent
CONFIG = re.sub(r"(?m)^audio_feed:.*\n", "", (ROOT / "config" / "podcast.yaml").read_text())
#: what each misbehaving answer is for a link (HEAD first, then GET where HEAD is doubtful)
CASES = {
    "/ok": "ok",
    "/trickle-headers": "timeout",
    "/stall-before": "timeout",
    "/garbage": "broken",
    "/control-404": "broken",
    "/404": "broken",
    "/utf8-location": "redirected",  # /café answers: a raw UTF-8 Location is no 404
    "/to?url=http://169.254.169.254/latest/meta-data/": "broken",
    "/to?url=" + quote("/x\x1b[2J\x00\x07y"): "broken",  # escapes in a Location
}


def project(tmp: Path, srv: NetServer, paths: list[str], extra: str = "") -> Path:
    config = CONFIG + (
        "links:\n  retries: 0\n  exclude: ['datatalks\\.club']\n"
        + extra
        + f"network:\n  allow_hosts: ['{srv.hostport}']\n"
    )
    (tmp / "config").mkdir(parents=True, exist_ok=True)
    (tmp / "config" / "podcast.yaml").write_text(config, encoding="utf-8")
    (tmp / "episodes").mkdir(exist_ok=True)
    (tmp / "people").mkdir(exist_ok=True)
    body = "\n".join(f"- <{srv.url(p)}>" for p in paths)
    (tmp / "episodes" / "e.md").write_text(f"---\ntitle: E\n---\n\n{body}\n", encoding="utf-8")
    return tmp / "config" / "podcast.yaml"


@pytest.fixture
def srv():
    with NetServer("127.0.0.2") as server:
        yield server


def check(config: Path, tmp: Path, *extra: str) -> tuple[int, str, str]:
    return cli(
        "check-links", "--config", str(config), "--quiet", "--cache", str(tmp / "c.sqlite"),
        "--timeout", "1", "--fail-after", "1", *extra,
    )  # fmt: skip


def test_each_misbehaving_answer_ends_with_its_status(tmp_path: Path, srv: NetServer):
    config = project(tmp_path, srv, list(CASES))
    code, out, err = check(config, tmp_path, "--format", "json")
    got = {r["url"].removeprefix(f"http://{srv.hostport}"): r for r in json.loads(out)["results"]}
    assert {path: got[path]["status"] for path in CASES} == CASES
    assert code == 1 and clean(out + err)
    assert got["/utf8-location"]["final_url"].endswith("/caf%C3%A9")
    assert "link-local" in got["/to?url=http://169.254.169.254/latest/meta-data/"]["detail"]


def test_junit_stays_parseable_xml_whatever_the_servers_sent(tmp_path: Path, srv: NetServer):
    config = project(tmp_path, srv, list(CASES))
    report = tmp_path / "links.xml"
    code, _, _ = check(config, tmp_path, "--format", "junit", "--output", str(report))
    root = etree.fromstring(report.read_bytes())  # raises on a control character
    ours = [c for c in root.iter("testcase") if srv.hostport in c.get("name")]
    assert code == 1 and len(ours) == len(CASES)
    assert clean(report.read_text(encoding="utf-8"))


def test_a_bad_chunk_size_is_not_a_reset_retried(tmp_path: Path, srv: NetServer):
    config = project(tmp_path, srv, ["/bad-chunk"], "  per_host: {head: false}\n")
    config.write_text(config.read_text().replace("retries: 0", "retries: 2"))
    _, out, err = check(config, tmp_path, "--format", "json")
    assert out, err
    (result,) = [r for r in json.loads(out)["results"] if srv.hostport in r["url"]]
    assert result["status"] == "ok"  # a 200 whose body broke off: the page is there
    assert "reset" not in result["detail"]
    assert srv.hits["/bad-chunk"] == 1


def _unshare() -> bool:
    try:
        probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


@pytest.mark.skipif(not _unshare(), reason="no unshare -rn here (needs user namespaces)")
def test_no_network_at_all_is_offline_not_broken(tmp_path: Path):
    """In a network namespace of its own (no interface up, no name server reachable), every
    link fails before any answer: the run says so, exits 4, marks nothing broken and leaves
    nothing in the cache."""
    links = ["https://example.com/", "http://93.184.215.14/page", "https://www.python.org/x"]
    (tmp_path / "config").mkdir()
    config = CONFIG + "links:\n  exclude: ['datatalks\\.club']\n"
    (tmp_path / "config" / "podcast.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "episodes").mkdir()
    (tmp_path / "people").mkdir()
    body = "\n".join(f"- <{u}>" for u in links)
    (tmp_path / "episodes" / "e.md").write_text(f"---\ntitle: E\n---\n\n{body}\n")
    cache = tmp_path / "c.sqlite"
    run = subprocess.run(
        ["unshare", "-rn", sys.executable, "-m", "feedgen_pod", "check-links", "--quiet",
         "--format", "junit", "--cache", str(cache), "--timeout", "5"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 4, run.stderr
    assert "the network is unreachable" in run.stderr and "Traceback" not in run.stderr
    assert "broken" not in run.stdout
    with sqlite3.connect(cache) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert all(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] == 0 for t in tables)


def test_no_host_resolving_is_offline_but_one_dead_domain_is_its_link_s_fault() -> None:
    """A resolver that answers "no such name" for every host (as an offline sandbox's does)
    is the network's state; one dead domain among hosts that resolve is that link's."""
    dead = Attempt(Status.BROKEN, "the host name does not resolve", kind=NO_HOST)
    fine = Attempt(Status.OK, "")
    unreachable = Attempt(Status.UNVERIFIABLE, "no route", kind=OFFLINE)
    assert network_unreachable([("https://a.example/x", dead), ("https://b.example/y", dead)])
    assert network_unreachable([("https://a.example/x", unreachable)])
    assert not network_unreachable([("https://a.example/x", dead), ("https://a.example/y", dead)])
    assert not network_unreachable([("https://a.example/x", dead), ("https://b.example/y", fine)])
    assert not network_unreachable([])
