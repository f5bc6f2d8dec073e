"""``feedgen-pod check-links`` end to end: exit codes, --output, the cache, config errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from linkserver import Servers

from feedgen_pod.cli import main
from feedgen_pod.config import load_config
from feedgen_pod.errors import ConfigError
from feedgen_pod.linkcheck import collect, from_config
from feedgen_pod.load.show import discover, load_episodes

ROOT = Path(__file__).resolve().parent.parent
CONFIG = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")


def project(tmp: Path, servers: Servers, paths: list[str], extra: str = "") -> None:
    port = servers.port(0)
    config = re.sub(r"(?m)^audio_feed:.*\n", "", CONFIG) + (
        "links:\n  timeout: 0.5\n  retries: 0\n  exclude: ['datatalks\\.club']\n"
        f"  allow_private_hosts: ['127.0.0.1:{port}']\n" + extra
    )
    (tmp / "config").mkdir(exist_ok=True)
    (tmp / "config" / "podcast.yaml").write_text(config, encoding="utf-8")
    (tmp / "episodes").mkdir(exist_ok=True)
    (tmp / "people").mkdir(exist_ok=True)
    body = "\n".join(f"- <{servers.url(0, p)}>" for p in paths)
    (tmp / "episodes" / "e.md").write_text(f"---\ntitle: E\n---\n\n{body}\n", encoding="utf-8")


def run(tmp: Path, monkeypatch, *args: str) -> int:
    monkeypatch.chdir(tmp)
    return main(["check-links", "--quiet", "--cache", str(tmp / "c.sqlite"), *args])


def test_exit_0_when_nothing_broken(tmp_path, monkeypatch, servers, capsys):
    project(tmp_path, servers, ["/ok", "/999"])
    assert run(tmp_path, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "1 ok" in out and "1 unverifiable" in out


def test_exit_codes_keep_broken_and_unverifiable_apart(tmp_path, monkeypatch, servers, capsys):
    project(tmp_path, servers, ["/ok", "/999"])
    assert run(tmp_path, monkeypatch, "--fail-on-unverifiable") == 3
    project(tmp_path, servers, ["/ok", "/404", "/999"])
    # the first failure of a link is a warning; --fail-after 1 fails at once
    assert run(tmp_path, monkeypatch) == 0
    assert "a warning until it stays broken" in capsys.readouterr().out
    assert run(tmp_path, monkeypatch, "--fail-after", "1") == 1
    assert run(tmp_path, monkeypatch, "--fail-after", "1", "--fail-on-unverifiable") == 1
    assert run(tmp_path, monkeypatch, "--no-cache") == 1  # no history: nothing to wait for
    project(tmp_path, servers, ["/ok", "/404"], "  fail_after: 1\n")
    assert run(tmp_path, monkeypatch) == 1


def test_output_file_and_format(tmp_path, monkeypatch, servers):
    project(tmp_path, servers, ["/404"])
    out = tmp_path / "report" / "links.json"
    args = ("--format", "json", "--output", str(out), "--fail-after", "1")
    assert run(tmp_path, monkeypatch, *args) == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    (result,) = [r for r in doc["results"] if r["url"].endswith("/404")]
    assert result["status"] == "broken"
    assert result["sources"] == [{"path": "episodes/e.md", "line": 5, "field": "notes"}]


def test_exclude_and_include_flags(tmp_path, monkeypatch, servers, capsys):
    project(tmp_path, servers, ["/ok", "/404"])
    assert run(tmp_path, monkeypatch, "--exclude", "/404$") == 0
    assert run(tmp_path, monkeypatch, "--include", "/ok$") == 0
    capsys.readouterr()


def test_cache_reuses_good_results_only(tmp_path, monkeypatch, servers):
    project(tmp_path, servers, ["/ok", "/404"], "  fail_after: 1\n")
    hits = servers.servers[0].hits
    assert run(tmp_path, monkeypatch) == 1
    ok, broken = hits["/ok"], hits["/404"]
    assert run(tmp_path, monkeypatch) == 1
    assert hits["/ok"] == ok  # reused from the cache
    assert hits["/404"] > broken  # broken links are always checked again
    assert run(tmp_path, monkeypatch, "--max-age", "0") == 1
    assert hits["/ok"] > ok
    ok = hits["/ok"]
    assert run(tmp_path, monkeypatch, "--no-cache") == 1
    assert hits["/ok"] > ok


def test_bad_max_age_flag_is_a_usage_error_naming_the_flag(tmp_path, monkeypatch, servers, capsys):
    project(tmp_path, servers, ["/ok"])
    assert run(tmp_path, monkeypatch, "--max-age", "soon") == 2
    assert capsys.readouterr().err.startswith("error: --max-age: expected seconds")


def test_corrupt_cache_is_replaced(tmp_path, monkeypatch, servers):
    project(tmp_path, servers, ["/ok"])
    (tmp_path / "c.sqlite").write_bytes(b"not a database" * 100)
    assert run(tmp_path, monkeypatch) == 0


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("  bogus: 1\n", "links.bogus"),
        ("  retries: many\n", "links.retries"),
        ("  include: ['(']\n", "links.include"),
        ("  hosts: {example.com: {concurrency: 0}}\n", "links.hosts.example.com.concurrency"),
        ("  resolve: {a.example: not-an-ip}\n", "links.resolve.a.example"),
        ("  max_age: forever\n", "links.max_age"),
        ("  fail_after: 0\n", "links.fail_after"),
        ("  profiles: {linkedin: {unverifiable: [abc]}}\n", "links.profiles.linkedin"),
    ],
)
def test_config_errors_name_the_key(tmp_path, monkeypatch, servers, capsys, extra, key):
    project(tmp_path, servers, ["/ok"], extra)
    assert run(tmp_path, monkeypatch) == 2
    assert key in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [(("--fail-after", "0"), "--fail-after"), (("--write",), "--write: only with --fix")],
)
def test_bad_flags_are_usage_errors(tmp_path, monkeypatch, servers, capsys, args, said):
    project(tmp_path, servers, ["/ok"])
    assert run(tmp_path, monkeypatch, *args) == 2
    assert said in capsys.readouterr().err


def test_bad_regex_flag_is_a_usage_error(tmp_path, monkeypatch, servers, capsys):
    project(tmp_path, servers, ["/ok"])
    assert run(tmp_path, monkeypatch, "--exclude", "(") == 2
    assert "--include/--exclude" in capsys.readouterr().err


def test_settings_from_config_rejects_non_mapping():
    with pytest.raises(ConfigError, match="links"):
        from_config(["a"])  # type: ignore[arg-type]


def test_corpus_links_stand_on_their_lines(corpus, monkeypatch):
    """Every URL collected from the real archive is found on the line it is reported at."""
    from dataclasses import replace

    show, _ = load_config(ROOT / "config" / "podcast.yaml")
    show = replace(show, episodes_dir=corpus / "episodes", people_dir=ROOT / "people")
    sources = discover(show)
    episodes = list(load_episodes(sources, []))
    links = collect(sources.show, sources.people, episodes)
    assert len(links) > 100
    checked = 0
    for link in links:
        for source in link.sources:
            if source.field in ("image", "picture", "ids.youtube") or source.path.startswith(
                "config"
            ):
                continue
            path = Path(source.path)
            text = path.read_text(encoding="utf-8").splitlines()[source.line - 1]
            handle = link.url.rstrip("/").rsplit("/", 1)[-1]
            assert link.url in text or handle in text, (source, link.url)
            checked += 1
    assert checked > 300


def test_format_choices_match_the_formatters(capsys) -> None:
    """``--format`` offers every formatter of the registry, and only those."""
    from feedgen_pod.cli import main
    from feedgen_pod.linkcheck.report import FORMATS

    with pytest.raises(SystemExit):
        main(["check-links", "--help"])
    assert "--format {" + ",".join(sorted(FORMATS)) + "}" in capsys.readouterr().out
