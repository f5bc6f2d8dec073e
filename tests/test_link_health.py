"""Link health end to end, on a loopback world (``healthworld``): a dead page with archive
captures, a LinkedIn-like 999 site, a Cloudflare-like challenge, a site that fails one night and
recovers, a GitHub-like site and API, a Wayback-like CDX API. Every run is the real command."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from healthworld import TOKEN, World

from feedgen_pod.cli import main
from feedgen_pod.linkcheck.cache import Cache
from feedgen_pod.linkcheck.history import DAY
from feedgen_pod.linkcheck.types import Verdict

ROOT = Path(__file__).resolve().parent.parent
CONFIG = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def world():
    w = World()
    yield w
    w.close()


def make_show(
    tmp: Path, world: World, extra: str = "", exclude: tuple[str, ...] = ()
) -> dict[str, str]:
    """An episode of 2021-05-04 and a guest's profile linking into the world."""
    urls = {
        "dead": world.url("dead.example", "/post"),
        "alive": world.url("dead.example", "/post-2"),
        "linkedin": world.url("www.linkedin.com", "/in/guest"),
        "challenge": world.url("shop.example", "/item"),
        "flaky": world.url("flaky.example", "/page"),
        "gh-limited": world.url("github.com", "/octo/hello"),
        "gh-private": world.url("github.com", "/octo/secret"),
        "gh-gone": world.url("github.com", "/octo/gone"),
    }
    world.captures[urls["dead"]] = [
        ("20190101000000", 12000),  # substantial, but two years before the episode
        ("20210420120000", 9000),  # substantial, two weeks before: the one to take
        ("20210501000000", 300),  # nearest, but a near-empty page
        ("20230101000000", 15000),  # outside the year around the episode
    ]
    config = re.sub(r"(?m)^audio_feed:.*\n", "", CONFIG) + world.config(exclude) + extra
    for sub in ("config", "episodes", "people"):
        (tmp / sub).mkdir(exist_ok=True)
    (tmp / "config/podcast.yaml").write_text(config, encoding="utf-8")
    episode = (
        "---\n"
        "title: Links\n"
        "date: 2021-05-04\n"
        "links:\n"
        f"  blog: {urls['dead']}\n"
        "---\n"
        "\n"
        f"Read [the post]({urls['dead']}) and its sequel {urls['alive']}.\n"
        f"Shop: <{urls['challenge']}>, and {urls['flaky']} too.\n"
        f"Code: {urls['gh-limited']}, {urls['gh-private']} and {urls['gh-gone']}\n"
    )
    (tmp / "episodes/s01e01-links.md").write_text(episode, encoding="utf-8", newline="\r\n")
    guest = f"---\ntitle: Guest\nlinkedin: {urls['linkedin']}\n---\n\nWrote {urls['dead']}\n"
    (tmp / "people/guest.md").write_text(guest, encoding="utf-8")
    return urls


def check(tmp: Path, monkeypatch, *args: str) -> tuple[int, dict]:
    """One run of ``check-links`` in ``tmp``; its exit code and JSON report."""
    monkeypatch.chdir(tmp)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    report = tmp / "report.json"
    code = main(["check-links", "--quiet", "--format", "json", "--output", str(report), *args])
    return code, json.loads(report.read_text(encoding="utf-8"))


def by_url(doc: dict) -> dict[str, dict]:
    return {item["url"]: item for item in doc["results"]}


def seed(tmp: Path, urls: list[str], *ages: float) -> None:
    """History: each of ``urls`` broken ``ages`` seconds ago (controlled dates)."""
    cache = Cache(tmp / ".cache/links.sqlite")
    for age in ages:
        cache.record(((u, Verdict.BROKEN, "HTTP 404") for u in urls), when=time.time() - age)
    cache.close()


def test_verdicts_of_the_world(tmp_path, monkeypatch, world):
    urls = make_show(tmp_path, world)
    world.down.clear()
    code, doc = check(tmp_path, monkeypatch, "--fail-after", "1")
    got = {name: by_url(doc)[url] for name, url in urls.items()}
    verdicts = {name: item["verdict"] for name, item in got.items()}
    assert verdicts == {
        "dead": "broken",
        "alive": "ok",
        "linkedin": "unverifiable",
        "challenge": "unverifiable",
        "flaky": "ok",
        "gh-limited": "ok",
        "gh-private": "unverifiable",
        "gh-gone": "broken",
    }
    assert "LinkedIn" in got["linkedin"]["detail"] and "999" in got["linkedin"]["detail"]
    assert "Cloudflare challenge" in got["challenge"]["detail"]
    assert "private repository" in got["gh-private"]["detail"]
    assert "GitHub API" in got["gh-limited"]["detail"]
    # the 999 and the challenge never fail the check; the broken links do
    assert code == 1
    assert {i["url"] for i in doc["results"] if i["failing"]} == {urls["dead"], urls["gh-gone"]}
    # the token went to the API root and nowhere else
    api = world.requests("api.github.test")
    assert api and all(h.get("Authorization") == f"Bearer {TOKEN}" for *_, h in api)
    for name in ("github.com", "dead.example", "www.linkedin.com", "shop.example"):
        assert not any("Authorization" in h for *_, h in world.requests(name)), name


def test_one_bad_night_fails_only_with_fail_after_1(tmp_path, monkeypatch, world):
    urls = make_show(tmp_path, world, exclude=("dead\\.example", "github\\.com"))
    world.down.set()
    try:
        code, doc = check(tmp_path, monkeypatch)
        flaky = by_url(doc)[urls["flaky"]]
        assert code == 0 and flaky["verdict"] == "broken" and flaky["warning"]
        assert flaky["broken_checks"] == 1 and not flaky["failing"]
        code, doc = check(tmp_path, monkeypatch, "--fail-after", "1")
        assert code == 1 and by_url(doc)[urls["flaky"]]["failing"]
    finally:
        world.down.clear()
    # the next night it is back: ok, and its history says so
    code, doc = check(tmp_path, monkeypatch)
    assert code == 0 and by_url(doc)[urls["flaky"]]["verdict"] == "ok"
    cache = Cache(tmp_path / ".cache/links.sqlite")
    verdicts = [v for _, v in cache.past([urls["flaky"]])[urls["flaky"]]]
    cache.close()
    assert verdicts == [Verdict.OK, Verdict.BROKEN, Verdict.BROKEN]


def test_a_link_broken_for_a_day_fails_and_says_since_when(tmp_path, monkeypatch, world):
    urls = make_show(tmp_path, world, exclude=("dead\\.example", "github\\.com"))
    world.down.set()
    try:
        seed(tmp_path, [urls["flaky"]], 3600)  # an hour ago: the same night
        code, doc = check(tmp_path, monkeypatch)
        assert code == 0 and by_url(doc)[urls["flaky"]]["broken_checks"] == 2
        seed(tmp_path, [urls["flaky"]], 2 * DAY)
        code, doc = check(tmp_path, monkeypatch)
        assert main(["check-links", "--quiet", "--format", "text", "--output", "r.txt"]) == 1
    finally:
        world.down.clear()
    flaky = by_url(doc)[urls["flaky"]]
    assert code == 1 and flaky["failing"] and flaky["broken_checks"] == 4
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 2 * DAY))
    assert flaky["broken_since"].startswith(day)
    assert f"broken since {day} (5 checks)" in (tmp_path / "r.txt").read_text(encoding="utf-8")


def test_suggestion_is_the_solid_capture_near_the_episode(tmp_path, monkeypatch, world):
    urls = make_show(tmp_path, world)
    code, doc = check(tmp_path, monkeypatch, "--suggest")
    dead = by_url(doc)[urls["dead"]]
    archive = world.url("web.archive.test", "")
    assert dead["suggestion"] == {
        "url": f"{archive}/web/20210420120000/{urls['dead']}",
        "captured": "20210420120000",
        "length": 9000,
    }
    assert by_url(doc)[urls["gh-gone"]]["suggestion"] is None  # the archive has none
    assert code == 0  # first failures: warnings
    # the answers are cached: a second run asks the archive nothing
    asked = len(world.requests("web.archive.test"))
    check(tmp_path, monkeypatch, "--suggest")
    assert len(world.requests("web.archive.test")) == asked


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "core.autocrlf=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_fix_writes_a_patch_git_applies_that_changes_only_the_dead_urls(
    tmp_path, monkeypatch, world
):
    urls = make_show(tmp_path, world)
    files = ["episodes/s01e01-links.md", "people/guest.md"]
    before = {f: (tmp_path / f).read_bytes() for f in files}
    assert _git(tmp_path, "init", "-q").returncode == 0
    code, doc = check(tmp_path, monkeypatch, "--fix", "--fail-after", "1")
    assert code == 1 and doc["repair"] == {"mode": "patch", "patch": "links.patch"}
    copy = by_url(doc)[urls["dead"]]["suggestion"]["url"]
    assert by_url(doc)[urls["dead"]]["repaired"]
    patch = (tmp_path / "links.patch").read_text(encoding="utf-8")
    assert patch.count("+++ b/") == 2
    checked = _git(tmp_path, "apply", "--check", "links.patch")
    assert checked.returncode == 0, checked.stderr
    assert {f: (tmp_path / f).read_bytes() for f in files} == before  # only a patch so far
    assert _git(tmp_path, "apply", "links.patch").returncode == 0
    for name in files:
        after = (tmp_path / name).read_bytes()
        assert after != before[name]
        assert after.replace(copy.encode(), urls["dead"].encode()) == before[name]
    assert urls["alive"].encode() in (tmp_path / files[0]).read_bytes()


def test_fix_write_changes_the_files_and_the_check_passes(tmp_path, monkeypatch, world):
    urls = make_show(tmp_path, world, exclude=("github\\.com",))
    seed(tmp_path, [urls["dead"]], 2 * DAY)  # dead for two days: it fails the check
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/show")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    code, doc = check(tmp_path, monkeypatch, "--fix", "--write", "--summary", str(summary))
    assert code == 0 and doc["repair"]["mode"] == "written"  # the files link to the copy now
    copy = by_url(doc)[urls["dead"]]["suggestion"]["url"]
    text = (tmp_path / "episodes/s01e01-links.md").read_text(encoding="utf-8")
    assert text.count(copy) == 2
    assert not re.search(re.escape(urls["dead"]) + r"(?![\w/-])", text.replace(copy, ""))
    markdown = summary.read_text(encoding="utf-8")
    assert re.findall(r"^### (\w+)", markdown, re.M) == ["Broken", "Unverifiable", "Repaired"]
    link = "https://github.com/o/show/blob/abc123/episodes/s01e01-links.md#L5"
    assert f"[episodes/s01e01-links.md:5]({link})" in markdown
    assert "Replaced in the files." in markdown


def test_the_archive_is_never_asked_faster_than_its_limit(tmp_path, monkeypatch, world):
    urls = make_show(tmp_path, world, "  archive_limit: {requests: 2, per: 0.4}\n")
    extra = "\n".join(f"- {world.url('dead.example', f'/gone-{i}')}" for i in range(5))
    with (tmp_path / "episodes/s01e01-links.md").open("a", encoding="utf-8") as out:
        out.write(extra + "\n")
    start = len(world.requests("web.archive.test"))
    code, doc = check(tmp_path, monkeypatch, "--suggest", "--no-cache")
    assert code == 1 and by_url(doc)[urls["dead"]]["suggestion"]
    times = [t for t, *_ in world.requests("web.archive.test")[start:]]
    assert len(times) >= 6  # the dead page, the gone repository and five more, each asked
    # any three requests in a row span at least the window: never more than 2 in 0.4 s
    assert all(later - first >= 0.4 for first, later in zip(times, times[2:]))
