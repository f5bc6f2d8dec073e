"""The link checker against real HTTP servers on 127.0.0.1: every status, every format.

Several ports stand for several hosts. No request ever leaves 127.0.0.0/8: redirects to 10.x
and 169.254.x are refused before connecting, and names are pinned with ``links.resolve``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from linkserver import Servers, free_port

from feedgen_pod.linkcheck import Engine, Link, Source, Status, collect, from_config
from feedgen_pod.linkcheck.history import Health
from feedgen_pod.linkcheck.report import FORMATS
from feedgen_pod.linkcheck.report.document import Context, build
from feedgen_pod.load.show import discover, load_episodes

ROOT = Path(__file__).resolve().parent.parent
CONFIG = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def servers():
    s = Servers(4)
    yield s
    s.close()


def _settings_yaml(servers: Servers, refused: int) -> str:
    allowed = [f"127.0.0.1:{servers.port(i)}" for i in (0, 1, 3)] + [f"127.0.0.1:{refused}"]
    allowed.append(f"www.youtube.com:{servers.port(0)}")
    lines = [
        "links:",
        "  timeout: 0.5",
        "  deadline: 1.5",
        "  retries: 1",
        "  backoff: 0.05",
        "  retry_after_cap: 2",
        "  max_redirects: 5",
        "  per_host: {concurrency: 4, interval: 0}",
        f"  youtube_oembed: http://127.0.0.1:{servers.port(0)}/oembed",
        f"  youtube_thumbnail: http://127.0.0.1:{servers.port(0)}/vi",
        "  resolve: {www.youtube.com: 127.0.0.1}",
        "  exclude: ['excluded\\.example', 'datatalks\\.club']",
        "  allow_private_hosts:",
        *[f"    - '{a}'" for a in allowed],
    ]
    return "\n".join(lines) + "\n"


def make_project(tmp: Path, servers: Servers) -> dict[str, tuple[str, int, Status]]:
    """An episode and a profile linking to every behaviour; returns name → (url, line, status)."""
    a, b, d = (lambda p, i=i: servers.url(i, p) for i in (0, 1, 3))
    refused = free_port()
    c_port = servers.port(2)  # not allowed: a loopback host the checker must refuse
    yt = f"http://www.youtube.com:{servers.port(0)}/watch?v="
    cases: dict[str, tuple[str, Status]] = {
        "ok": (a("/ok"), Status.OK),
        "404": (a("/404"), Status.BROKEN),
        "410": (b("/410"), Status.BROKEN),
        "chain": (a("/r301"), Status.REDIRECTED),
        "temporary": (a("/r302"), Status.OK),
        "loop": (a("/loop-a"), Status.BROKEN),
        "cookie-loop": (a("/cookie-loop"), Status.OK),
        "no-location": (b("/no-location"), Status.BROKEN),
        "406": (b("/406"), Status.UNVERIFIABLE),
        "endless-redirect": (a("/endless-redirect"), Status.BROKEN),
        "to-10": (a("/to?url=http://10.255.255.1/secret"), Status.BROKEN),
        "to-169": (a("/to?url=http://169.254.169.254/latest/meta-data/"), Status.BROKEN),
        "to-localhost": (a(f"/to?url=http://localhost:{c_port}/ok"), Status.BROKEN),
        "to-file": (a("/to?url=file:///etc/passwd"), Status.BROKEN),
        "to-gopher": (a("/to?url=gopher://127.0.0.1:70/"), Status.BROKEN),
        "localhost": (f"http://localhost:{c_port}/ok", Status.BROKEN),
        "429": (b("/429"), Status.OK),
        "429-date": (d("/429-date"), Status.OK),
        "429-always": (d("/429-always"), Status.UNVERIFIABLE),
        "503": (b("/503-once"), Status.OK),
        "hang": (d("/hang"), Status.TIMEOUT),
        "refused": (f"http://127.0.0.1:{refused}/x", Status.BROKEN),
        "head405": (a("/head405"), Status.OK),
        "999": (b("/999"), Status.UNVERIFIABLE),
        "wall": (b("/403-wall"), Status.UNVERIFIABLE),
        "yt-gone": (yt + "GONEGONE1", Status.BROKEN),
        "yt-ok": (yt + "OKOKOKOK1", Status.OK),
        "yt-private": (yt + "PRIVPRIV1", Status.OK),
        "excluded": ("https://excluded.example/page", Status.EXCLUDED),
        "mailto": ("mailto:someone@example.org", Status.EXCLUDED),
        "endless-body": (a("/endless-body"), Status.OK),
        "huge-header": (b("/huge-header"), Status.BROKEN),
        "many-headers": (b("/many-headers"), Status.BROKEN),
        "gzip-bomb": (d("/gzip-bomb"), Status.OK),
        "drip": (d("/drip"), Status.TIMEOUT),
    }
    (tmp / "config").mkdir()
    config = re.sub(r"(?m)^audio_feed:.*\n", "", CONFIG) + _settings_yaml(servers, refused)
    (tmp / "config" / "podcast.yaml").write_text(config, encoding="utf-8")
    (tmp / "episodes").mkdir()
    (tmp / "people").mkdir()
    front = [
        "---",
        "title: Links of every kind",
        "season: 1",
        "episode: 1",
        "links:",
        f"  youtube: {cases['yt-gone'][0]}",
        "---",
        "",
        "Show notes:",
        "",
    ]
    expected: dict[str, tuple[str, int, Status]] = {
        "yt-gone": (cases["yt-gone"][0], 6, Status.BROKEN),
    }
    body = []
    for name, (url, status) in cases.items():
        if name == "yt-gone":
            continue
        line = len(front) + len(body) + 1
        body.append(f'- [{name}]({url}){{:target="_blank"}}' if name != "ok" else f"- {url}")
        expected[name] = (url, line, status)
    text = "\n".join(front + body) + "\n"
    (tmp / "episodes" / "s01e01-links.md").write_text(text, encoding="utf-8")
    profile = "---\ntitle: Guest\nlinkedin: " + cases["999"][0] + "\n---\n\nSee " + a("/404") + "\n"
    (tmp / "people" / "guest.md").write_text(profile, encoding="utf-8")
    return expected


@pytest.fixture(scope="module")
def checked(servers, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("links")
    expected = make_project(tmp, servers)
    import os

    old = os.getcwd()
    os.chdir(tmp)
    try:
        from feedgen_pod.config import load_config

        show, values = load_config(Path("config/podcast.yaml"))
        sources = discover(show)
        problems: list = []
        episodes = list(load_episodes(sources, problems))
        links = collect(sources.show, sources.people, episodes)
        settings = from_config(values.get("links"))
        results = Engine(settings).run(links)
    finally:
        os.chdir(old)
    return expected, results, tmp


def _by_url(results):
    return {r.url: r for r in results}


def test_every_case_gets_its_status_and_line(checked):
    expected, results, _ = checked
    got = _by_url(results)
    wrong = []
    for name, (url, line, status) in expected.items():
        result = got.get(url)
        if result is None or result.status is not status:
            wrong.append((name, status, result and (result.status, result.detail)))
            continue
        lines = {s.line for s in result.sources if s.path.startswith("episodes")}
        if line not in lines:
            wrong.append((name, "line", line, lines))
    assert not wrong


def test_details_say_why(checked):
    expected, results, _ = checked
    got = _by_url(results)

    def detail(name: str) -> str:
        return got[expected[name][0]].detail

    assert got[expected["404"][0]].http_status == 404
    assert "redirect loop" in detail("loop")
    assert "more than 5 redirects" in detail("endless-redirect")
    for name in ("to-10", "to-169", "to-localhost", "localhost"):
        assert "refused" in detail(name)
    assert "scheme refused" in detail("to-file")
    assert "connection refused" in detail("refused")
    assert "999" in detail("999")
    assert "oEmbed answers 404" in detail("yt-gone")
    assert "answered 401" in detail("yt-private") and "thumbnail is there" in detail("yt-private")
    assert "invalid HTTP answer" in detail("huge-header")
    chain = got[expected["chain"][0]]
    assert chain.final_url.endswith("/ok") and "update the link" in chain.detail


def test_no_traffic_to_refused_hosts(servers, checked):
    assert sum(servers.servers[2].hits.values()) == 0


def test_hostile_servers_are_bounded(servers, checked):
    # the endless body and the gzip bomb were cut off after the byte cap, not read whole
    assert servers.servers[0].sent["/endless-body"] < 50_000_000
    assert servers.servers[3].hits["/drip"] <= 2  # one try plus one retry


def test_retry_after_is_honoured(servers, checked):
    log = [(t, m) for t, m, p in servers.servers[1].log if p == "/429"]
    assert len(log) >= 2
    assert log[1][0] - log[0][0] >= 0.9


def test_same_url_checked_once_reported_for_each_place(servers, checked):
    _, results, _ = checked
    r404 = [r for r in results if r.url.endswith("/404") and "127.0.0.1" in r.url]
    assert len(r404) == 1
    paths = {s.path for s in r404[0].sources}
    assert paths == {"episodes/s01e01-links.md", "people/guest.md"}
    assert servers.servers[0].hits["/404"] <= 2  # HEAD, then GET to be sure


def _parse(fmt: str, text: str) -> dict[tuple[str, int], str]:
    """(url, line) → status as each report format tells it."""
    out: dict[tuple[str, int], str] = {}
    if fmt == "json":
        for r in json.loads(text)["results"]:
            for s in r["sources"]:
                out[(r["url"], s["line"])] = r["status"]
    elif fmt == "junit":
        for case in ET.fromstring(text.encode()).iter("testcase"):
            line, url = re.match(r"line (\d+): (.*)", case.get("name")).groups()
            failure, skipped = case.find("failure"), case.find("skipped")
            node = failure if failure is not None else skipped
            said = case.find("system-out")
            if node is not None:
                status = node.get("message").split(":")[0]
            else:
                status = said.text.split(":")[0] if said is not None else "ok"
            out[(url, int(line))] = status
    elif fmt == "github":
        for m in re.finditer(
            r"^::(error|warning) file=[^,]+,line=(\d+),title=(\w+) link[^:]*::(\S+)", text, re.M
        ):
            out[(m.group(4), int(m.group(2)))] = m.group(3)
    elif fmt == "markdown":
        for m in re.finditer(r"^\| \**(\w+)\** \| `[^`]+:(\d+)` \| [^|]+ \| <([^>]+)>", text, re.M):
            out[(m.group(3), int(m.group(2)))] = m.group(1)
        redirected = text.split("### Redirected")[-1] if "### Redirected" in text else ""
        for m in re.finditer(r"^\| `[^`]+:(\d+)` \| <([^>]+)>", redirected, re.M):
            out[(m.group(2), int(m.group(1)))] = "redirected"
    elif fmt == "text":
        for m in re.finditer(r"^\s+(\d+)\s+(\w+)\s+(\S+)", text, re.M):
            out[(m.group(3), int(m.group(1)))] = m.group(2)
    return out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_tells_status_and_line(checked, fmt):
    expected, results, _ = checked
    text = FORMATS[fmt](build(results), False)
    told = _parse(fmt, text)
    shows_ok = fmt in ("json", "junit")
    for name, (url, line, status) in expected.items():
        hidden = status in (Status.OK, Status.EXCLUDED) and not shows_ok
        if hidden or (fmt == "github" and status is not Status.BROKEN):
            assert (url, line) not in told, name  # annotations are for broken links only
            continue
        want = status.value if fmt != "junit" or status is not Status.EXCLUDED else "excluded"
        assert told.get((url, line)) == want, (name, told.get((url, line)))


def test_github_levels(checked):
    expected, results, _ = checked
    text = FORMATS["github"](build(results), False)
    assert re.search(r"^::error file=episodes/s01e01-links\.md,line=\d+,", text, re.M)
    assert "::warning" not in text  # unverifiable, timed-out and redirected links: none
    # a broken link that has not failed long enough is a warning
    first = expected["404"][0]
    health = {first: Health(False, 1000.0, 1)}
    text = FORMATS["github"](build(results, Context(fail_after=2, health=health)), False)
    warnings = re.findall(r"^::warning file=[^,]+,line=\d+,title=[^:]+::(.*)$", text, re.M)
    assert len(warnings) == 2  # the link stands in two files
    assert all(w.startswith(first) and "first failure" in w for w in warnings)


def test_text_colour_only_when_asked(checked):
    _, results, _ = checked
    assert "\x1b[" not in FORMATS["text"](build(results), False)
    assert "\x1b[31m" in FORMATS["text"](build(results), True)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "gopher://127.0.0.1/"],
)
def test_other_schemes_refused_without_a_request(url):
    src = (Source("episodes/x.md", 3, "notes"),)
    (result,) = Engine(from_config({"retries": 0})).run([Link(url, src)])
    assert result.status is Status.BROKEN and "scheme refused" in result.detail


def test_private_literal_refused_before_connecting():
    src = (Source("episodes/x.md", 3, "notes"),)
    links = [
        Link(u, src)
        for u in (
            "http://10.255.255.1/",
            "http://169.254.169.254/",
            "http://[::1]:9/",
            "http://127.0.0.1:9/",
        )
    ]
    results = Engine(from_config({"retries": 0, "timeout": 5})).run(links)
    # refused by the address check, which runs before any connection is tried
    assert all(r.status is Status.BROKEN and r.kind == "refused-address" for r in results)


def test_unparsable_url_is_broken_not_a_crash():
    src = (Source("episodes/x.md", 3, "notes"),)
    (result,) = Engine(from_config({"retries": 0})).run([Link("http://[::1/x", src)])
    assert result.status is Status.BROKEN and "invalid URL" in result.detail


def test_json_report_is_what_json_indent_2_writes():
    import json

    from feedgen_pod.linkcheck.report import jsonout
    from feedgen_pod.linkcheck.types import LinkResult

    results = [
        LinkResult(
            'https://a.example/é?x=1&y="2"',
            (Source("episodes/x.md", 3, "notes"), Source("people/p.md", 2, "web")),
            Status.BROKEN,
            "HTTP 404 Not Found\n",
            404,
            None,
            0.1234567,
            False,
        ),
        LinkResult(
            "https://b.example/",
            (Source("e.md", 1, "notes"),),
            Status.OK,
            "",
            200,
            "https://b.example/x",
            1.5,
            True,
        ),
    ]
    text = jsonout.render(build(results), False)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert json.loads(text)["results"][0]["elapsed"] == 0.123
