"""check-links' head start: the first requests go out for the notes' links, read from the
files' text, before the model loads; what is reported still comes from the model alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from linkserver import Servers

from feedgen_pod.cli import main
from feedgen_pod.config import load_config
from feedgen_pod.linkcheck import Engine, Link, Source, Status, from_config
from feedgen_pod.linkcheck.collect import markdown_links
from feedgen_pod.linkcheck.fastmd import plain_links
from feedgen_pod.linkcheck.prescan import note_urls
from feedgen_pod.load.show import discover, load_episodes

ROOT = Path(__file__).resolve().parent.parent
CONFIG = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")


def _notes_by_file(episodes_dir: Path) -> dict[str, list[str] | None]:
    """The notes' URLs of each loaded episode as the collector reads them from the model
    (None where the notes are not plain Markdown: the head start leaves those alone)."""
    show, _ = load_config(ROOT / "config" / "podcast.yaml")
    sources = discover(replace(show, episodes_dir=episodes_dir, people_dir=ROOT / "people"))
    return {
        ep.source.name: (
            [url for url, _ in markdown_links(ep.notes, ep.notes_line)]
            if plain_links(ep.notes, ep.notes_line) is not None
            else None
        )
        for ep in load_episodes(sources, [])
    }


def _agrees(folder: Path) -> int:
    """The head start's URLs of each file are the collector's notes URLs of it, when those
    notes are plain, and nothing otherwise; returns how many URLs were compared."""
    expected = _notes_by_file(folder)
    found = {path.name: urls for path, urls in note_urls(folder)}
    assert set(found) <= set(expected)  # nothing from a file the loader does not load
    for name, urls in expected.items():
        assert found.get(name, []) == (urls or []), name
    return sum(len(urls) for urls in found.values())


def test_prescan_never_asks_for_what_the_corpus_notes_do_not_link(corpus):
    """The real notes are mostly rich Markdown, left to the collector: whatever the head start
    takes from them is exactly what the model gives the collector."""
    _agrees(corpus / "episodes")
    _agrees(ROOT / "episodes")


def test_prescan_finds_the_collectors_links_in_corpus_files_made_plain(corpus, tmp_path):
    """Each corpus episode with its notes replaced by a plain list of every URL the corpus
    notes link (autolinks and bare URLs, LF and CRLF): the head start finds exactly the URLs
    the collector finds in the loaded model, in order."""
    from feedgen_pod.load import frontmatter

    urls = sorted(
        {
            url
            for path in (corpus / "episodes").glob("*.md")
            for url, _ in markdown_links(frontmatter.split(path.read_text("utf-8"))[1], 1)
        }
    )
    assert len(urls) > 30
    for n, path in enumerate(sorted((corpus / "episodes").glob("*.md"))):
        head = path.read_text("utf-8").split("\n---\n", 1)[0]
        lines = [f"- <{u}>" if i % 2 else f"- {u} ." for i, u in enumerate(urls[n::3])]
        newline = "\r\n" if n % 2 else "\n"
        text = newline.join([*head.split("\n"), "---", "", "Links:", "", *lines, ""])
        (tmp_path / path.name).write_bytes(text.encode())
    assert _agrees(tmp_path) > 50


def test_prescan_reads_notes_as_the_loader_does(tmp_path):
    """Control characters and decomposed accents in the text: the same URLs as the loaded
    notes; drafts, unreadable and unsplittable files are passed over."""
    (tmp_path / "a.md").write_bytes(
        "---\r\ntitle: A\r\n---\r\n\r\n- <https://a.example/x>\x07\r\n"
        "- https://b.example/cafe\u0301\r\n".encode()
    )
    (tmp_path / "_draft.md").write_text("---\ntitle: D\n---\nhttps://draft.example/\n")
    (tmp_path / "open.md").write_text("---\ntitle: O\nhttps://open.example/\n")
    (tmp_path / "bad.md").write_bytes(b"---\ntitle: B\n---\nhttps://bad.example/\xff\n")
    assert [(p.name, urls) for p, urls in note_urls(tmp_path)] == [
        ("a.md", ["https://a.example/x", "https://b.example/caf\u00e9"])
    ]
    assert _agrees(tmp_path) == 2
    assert list(note_urls(tmp_path / "missing")) == []


def test_started_urls_give_the_same_results_and_unwanted_ones_are_never_asked(servers):
    """``start`` then ``run``: the results are ``run``'s alone; a started URL no link names
    is dropped while still queued (the host's interval held it back) and never asked."""
    port = servers.port(0)
    hits = servers.servers[0].hits
    settings = from_config(
        {
            "retries": 0,
            "allow_private_hosts": [f"127.0.0.1:{port}"],
            "hosts": {"127.0.0.1": {"concurrency": 1, "interval": 0.5}},
        }
    )
    src = (Source("e.md", 3, "notes"),)
    links = [Link(servers.url(0, "/ok"), src), Link(servers.url(0, "/404"), src)]
    alone = {r.url: (r.status, r.http_status) for r in Engine(settings).run(links)}
    before = dict(hits)
    engine = Engine(settings)
    engine.start([servers.url(0, "/ok"), servers.url(0, "/unwanted"), servers.url(0, "/404")])
    results = engine.run(links)
    assert {r.url: (r.status, r.http_status) for r in results} == alone
    assert [r.sources for r in results] == [src, src]
    assert hits["/unwanted"] == 0
    assert hits["/ok"] == before["/ok"] + 1  # started once, not asked again by ``run``
    assert alone[servers.url(0, "/404")][0] is Status.BROKEN


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
    # its notes are started by the head start; the loader drops the file (no title)
    (tmp / "episodes" / "untitled.md").write_text(
        f"---\nshort: ''\n---\n\n- <{servers.url(0, '/410')}>\n", encoding="utf-8"
    )


def test_a_config_error_anywhere_stops_the_command_before_any_request(
    tmp_path, monkeypatch, servers, capsys
):
    """The whole config is validated before the head start: a wrong key outside ``links:``
    is exit 2 with no request made."""
    _project(tmp_path, servers, "medium: radio\n")
    hits = servers.servers[0].hits
    before = sum(hits.values())
    monkeypatch.chdir(tmp_path)
    assert main(["check-links", "--quiet", "--no-cache"]) == 2
    assert "medium" in capsys.readouterr().err
    assert sum(hits.values()) == before


def test_command_reports_the_collectors_links_only(tmp_path, monkeypatch, servers, capsys):
    """Front matter links (not in the head start) are checked and reported with their lines;
    a file the loader drops is not reported, although its notes were started."""
    import json

    _project(tmp_path, servers)
    monkeypatch.chdir(tmp_path)
    assert main(["check-links", "--quiet", "--no-cache", "--format", "json"]) == 0
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
    """Run as the program, check-links ends without the interpreter's teardown: the report
    on standard output, far beyond a pipe's buffer or a short one left in it, is whole, and
    so is the exit code."""
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
