"""``publish`` tells WebSub hubs, Podping and notify URLs of a changed feed: real servers on
loopback record every request; a folder target and a local S3 server (moto) are published to."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from conftest import ROOT
from lxml import etree
from test_publish import FILES, bucket, s3_endpoint, write_dist

from feedgen_pod.cli import main
from feedgen_pod.config import load_config
from feedgen_pod.errors import ConfigError
from feedgen_pod.formats.rss import feed_xml
from feedgen_pod.publish import notify
from feedgen_pod.publish.notify import Bounds, Notice, send_all

__all__ = ["bucket", "s3_endpoint"]  # fixtures shared with test_publish

FEED_URL = "https://datatalks.club/podcast/feed.xml"  # the feed_url of config/podcast.yaml
FAST = Bounds(timeout=2.0, attempts=3, backoff=0.01, max_wait=0.05)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float


class Recorder(ThreadingHTTPServer):
    """Answers with ``answers`` in turn (the last one repeats) and records every request."""

    daemon_threads = True

    def __init__(self, host: str, answers: list[tuple[int, dict[str, str], bytes]]):
        super().__init__((host, 0), _Handler)
        self.answers = answers or [(200, {}, b"ok")]
        self.seen: list[Seen] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/ping"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Recorder

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path)
        with self.server.lock:
            seen = Seen(
                self.command,
                parts.path,
                parse_qs(parts.query),
                dict(self.headers.items()),
                body,
                time.monotonic(),
            )
            self.server.seen.append(seen)
            answers = self.server.answers
            status, headers, text = answers[min(len(self.server.seen), len(answers)) - 1]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


@pytest.fixture
def serve() -> Iterator[Callable[..., Recorder]]:
    """``serve(host, *answers)``: a recording server on a loopback address."""
    started: list[tuple[Recorder, threading.Thread]] = []

    def start(host: str = "127.0.0.1", *answers: tuple[int, dict[str, str], bytes]) -> Recorder:
        server = Recorder(host, list(answers))
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        started.append((server, thread))
        return server

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short waits between retries, so failing endpoints cost the tests little time."""
    monkeypatch.setattr(notify, "BOUNDS", FAST)


def write_config(folder: Path, publish: str) -> Path:
    """The repository's show config with this ``publish:`` section (YAML lines)."""
    text = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    assert "\npublish:" not in text
    path = folder / "config" / "podcast.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{text.rstrip()}\npublish:\n{publish}", encoding="utf-8")
    return path


@dataclass
class Endpoints:
    hub: Recorder
    podping: Recorder
    pubnotify: Recorder
    config: Path
    all: list[Recorder] = field(default_factory=list)

    def counts(self) -> list[int]:
        return [len(server.seen) for server in self.all]


@pytest.fixture
def endpoints(tmp_path: Path, serve, monkeypatch: pytest.MonkeyPatch, fast) -> Endpoints:
    """A WebSub hub, a Podping server and a pubnotify endpoint, each on its own 127.x host."""
    hub = serve("127.0.0.2", (202, {}, b""))
    podping = serve("127.0.0.3", (200, {}, b"Success!"))
    pubnotify = serve("127.0.0.4", (200, {}, b'{"status": "true"}'))
    config = write_config(
        tmp_path / "show",
        f"  websub_hubs: [{hub.url}]\n  podping: true\n  podping_url: {podping.url}\n"
        f"  notify_urls: [{pubnotify.url}]\n",
    )
    monkeypatch.setenv("PODPING_TOKEN", "secret-token")
    return Endpoints(hub, podping, pubnotify, config, [hub, podping, pubnotify])


def assert_told_once_each(points: Endpoints, medium: str = "podcast") -> None:
    """Each endpoint got exactly one request, the one the manual describes."""
    assert points.counts() == [1, 1, 1]
    (hub,) = points.hub.seen
    assert hub.method == "POST"
    assert hub.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(hub.body.decode()) == {"hub.mode": ["publish"], "hub.url": [FEED_URL]}
    (ping,) = points.podping.seen
    assert ping.method == "GET" and ping.path == "/ping"
    assert ping.query == {"url": [FEED_URL], "reason": ["update"], "medium": [medium]}
    assert ping.headers["Authorization"] == "secret-token"
    (pub,) = points.pubnotify.seen
    assert pub.method == "GET" and pub.query == {"url": [FEED_URL]}
    assert "Authorization" not in pub.headers and "Authorization" not in hub.headers


def publish_cli(config: Path, dist: Path, to: str, *extra: str) -> int:
    return main(["publish", "--config", str(config), "--dist", str(dist), "--to", to, *extra])


# the feed


def test_feed_lists_each_hub_and_podping_only_when_configured(tmp_path: Path) -> None:
    hubs = "[https://pubsubhubbub.appspot.com/, http://127.0.0.1:9/hub]"
    config = write_config(tmp_path, f"  websub_hubs: {hubs}\n  podping: true\n")
    show, _ = load_config(config)
    feed, _ = feed_xml(show, [])
    parsed = feedparser.parse(feed)
    links = [(link["rel"], link["href"]) for link in parsed.feed.links]
    assert ("hub", "https://pubsubhubbub.appspot.com/") in links
    assert ("hub", "http://127.0.0.1:9/hub") in links
    assert ("self", FEED_URL) in links
    channel = etree.fromstring(feed).find("channel")
    atom = "{http://www.w3.org/2005/Atom}link"
    rels = [el.get("rel") for el in channel.iter(atom)]
    assert rels == ["self", "hub", "hub"]  # the hubs follow the self link
    ping = channel.findall("{https://podcastindex.org/namespace/1.0}podping")
    assert [el.attrib for el in ping] == [{"usesPodping": "true"}]

    plain, _ = load_config(write_config(tmp_path / "plain", "  podping: false\n"))
    bare, _ = feed_xml(plain, [])
    assert b"podping" not in bare and b'rel="hub"' not in bare
    without, _ = load_config(ROOT / "config" / "podcast.yaml")
    assert feed_xml(without, [])[0] == bare  # nothing configured: the feed is as before


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("  websub_hubs: [ftp://hub.example]\n", "websub_hubs: expected an http"),
        ("  podping: sometimes\n", "podping: expected true or false"),
        ("  notify_urls: {a: b}\n", "notify_urls: expected a list of URLs"),
        ("  podping_token: abc\n", "podping_token: unknown"),
    ],
)
def test_bad_publish_settings_stop_the_build_with_file_line_and_key(
    tmp_path: Path, section: str, message: str
) -> None:
    config = write_config(tmp_path, section)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    problem = caught.value.problem
    assert problem is not None
    assert problem.field == "publish" and message in problem.message
    assert problem.line == config.read_text(encoding="utf-8").splitlines().index("publish:") + 1


# bounded requests


def test_retries_a_503_after_its_retry_after_then_succeeds(serve) -> None:
    server = serve("127.0.0.1", (503, {"Retry-After": "1"}, b"busy"), (202, {}, b""))
    bounds = Bounds(timeout=5.0, attempts=4, backoff=0.01, max_wait=5.0)
    (answer,) = send_all([Notice("WebSub hub", "POST", server.url)], bounds)
    assert answer.ok and answer.status == 202 and answer.attempts == 2
    first, second = server.seen
    assert second.at - first.at >= 0.9  # Retry-After, not the backoff


def test_retry_after_is_capped_and_really_waited(serve) -> None:
    server = serve("127.0.0.1", (503, {"Retry-After": "3600"}, b""), (200, {}, b"ok"))
    bounds = Bounds(timeout=5.0, attempts=3, backoff=0.01, max_wait=0.3)
    (answer,) = send_all([Notice("notify URL", "GET", server.url)], bounds)
    assert answer.ok
    first, second = server.seen
    assert second.at - first.at >= 0.3  # and really waited before the second request


def test_an_unreadable_retry_after_is_ignored(serve) -> None:
    server = serve("127.0.0.1", (503, {"Retry-After": "\xb2"}, b""), (200, {}, b"ok"))
    (answer,) = send_all([Notice("WebSub hub", "POST", server.url)], FAST)
    assert answer.ok and answer.attempts == 2


def test_gives_up_after_the_attempts_and_says_what_the_server_answered(serve) -> None:
    server = serve("127.0.0.1", (503, {}, b"hub  is\nbroken"))
    (answer,) = send_all([Notice("WebSub hub", "POST", server.url)], FAST)
    assert not answer.ok and answer.attempts == FAST.attempts == len(server.seen)
    assert answer.describe() == (
        f"WebSub hub {server.url}: 503 Service Unavailable: hub is broken (3 attempts)"
    )


def test_a_4xx_is_not_retried_and_a_dead_endpoint_is_retried_a_bounded_number_of_times(
    serve,
) -> None:
    server = serve("127.0.0.1", (401, {}, b"bad token"))
    closed = serve("127.0.0.1")
    dead = closed.url
    closed.shutdown()
    closed.server_close()  # nothing listens there any more: the connection is refused
    todo = [Notice("Podping", "GET", server.url), Notice("notify URL", "GET", dead)]
    refused, gone = send_all(todo, FAST)
    assert refused.status == 401 and refused.attempts == 1 and "bad token" in refused.detail
    assert gone.status is None and gone.attempts == FAST.attempts
    assert gone.detail == "no answer: connection refused" and dead in gone.describe()


# publish to a folder


def test_folder_publish_notifies_once_per_changed_feed(tmp_path, endpoints, capsys) -> None:
    dist = write_dist(tmp_path / "dist", FILES)
    site = str(tmp_path / "site")
    assert publish_cli(endpoints.config, dist, site, "--dry-run") == 0
    assert endpoints.counts() == [0, 0, 0]  # a dry run tells no one
    assert "would notify Podping" in capsys.readouterr().out

    assert publish_cli(endpoints.config, dist, site) == 0
    assert_told_once_each(endpoints)
    out = capsys.readouterr().out
    assert f"notified WebSub hub {endpoints.hub.url}: 202" in out
    assert "secret-token" not in out

    assert publish_cli(endpoints.config, dist, site) == 0
    assert endpoints.counts() == [1, 1, 1]  # nothing changed: no one is told

    changed = {**FILES, "episodes/a/chapters.json": (b'{"version": "1.2.0"}', "a")}
    write_dist(dist, changed)
    assert publish_cli(endpoints.config, dist, site) == 0
    assert endpoints.counts() == [1, 1, 1]  # an episode file changed, the feed did not

    changed["feed.xml"] = (b"<rss version='2.0'><channel/></rss>", None)
    write_dist(dist, changed)
    assert publish_cli(endpoints.config, dist, site, "--no-notify") == 0
    assert endpoints.counts() == [1, 1, 1]

    changed["feed.xml"] = (b"<rss version='2.0'><channel><title/></channel></rss>", None)
    write_dist(dist, changed)
    assert publish_cli(endpoints.config, dist, site, "--quiet") == 0
    assert endpoints.counts() == [2, 2, 2]


def test_a_failed_notification_exits_1_and_keeps_the_upload(tmp_path, serve, fast, capsys):
    hub = serve("127.0.0.2", (503, {"Retry-After": "0"}, b"hub down"))
    fine = serve("127.0.0.4", (200, {}, b"ok"))
    section = f"  websub_hubs: [{hub.url}]\n  notify_urls:\n    - {fine.url}\n"
    config = write_config(tmp_path / "show", section)
    dist = write_dist(tmp_path / "dist", FILES)
    site = tmp_path / "site"
    assert publish_cli(config, dist, str(site)) == 1
    err = capsys.readouterr().err
    expected = f"error: notification failed: WebSub hub {hub.url}: 503 Service Unavailable"
    assert f"{expected}: hub down (3 attempts)" in err
    assert len(hub.seen) == FAST.attempts and len(fine.seen) == 1  # the others still told
    assert (site / "feed.xml").read_bytes() == FILES["feed.xml"][0]  # uploaded, kept
    assert publish_cli(config, dist, str(site)) == 0  # not sent again: the feed is published
    assert len(hub.seen) == FAST.attempts and len(fine.seen) == 1


def test_podping_without_its_token_sends_nothing(tmp_path, endpoints, monkeypatch, capsys):
    monkeypatch.delenv("PODPING_TOKEN")
    dist = write_dist(tmp_path / "dist", FILES)
    site = tmp_path / "site"
    assert publish_cli(endpoints.config, dist, str(site)) == 2
    err = capsys.readouterr().err
    assert "PODPING_TOKEN is not set" in err and "publish.podping" in err
    assert not site.exists() and endpoints.counts() == [0, 0, 0]
    assert publish_cli(endpoints.config, dist, str(site), "--no-notify") == 0
    assert (site / "feed.xml").exists() and endpoints.counts() == [0, 0, 0]


# publish to S3


def test_s3_publish_notifies_once_and_warns_once_about_cors(
    tmp_path, endpoints, s3_endpoint, bucket, capsys
) -> None:
    import boto3

    dist = write_dist(tmp_path / "dist", FILES)
    to = f"s3://{bucket}/podcast"
    assert publish_cli(endpoints.config, dist, to, "--endpoint-url", s3_endpoint) == 0
    assert_told_once_each(endpoints)
    err = capsys.readouterr().err
    assert err.count("no CORS rule allowing GET from any origin") == 1, err
    assert publish_cli(endpoints.config, dist, to, "--endpoint-url", s3_endpoint) == 0
    assert endpoints.counts() == [1, 1, 1]
    assert capsys.readouterr().err.count("no CORS rule") == 1  # once a publish

    rule = readme_cors_rule()
    boto3.client("s3", endpoint_url=s3_endpoint).put_bucket_cors(
        Bucket=bucket, CORSConfiguration=rule
    )
    write_dist(dist, {**FILES, "feed.xml": (b"<rss version='2.0'><channel/></rss>", None)})
    assert publish_cli(endpoints.config, dist, to, "--endpoint-url", s3_endpoint) == 0
    assert endpoints.counts() == [2, 2, 2]
    assert "CORS" not in capsys.readouterr().err


def test_cors_rules_that_do_not_let_any_origin_get_are_warned_about(
    tmp_path, s3_endpoint, bucket
) -> None:
    import boto3

    from feedgen_pod.model import PublishSettings
    from feedgen_pod.publish import publish

    client = boto3.client("s3", endpoint_url=s3_endpoint)
    only_site = {"AllowedOrigins": ["https://datatalks.club"], "AllowedMethods": ["GET"]}
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [only_site]})
    dist = write_dist(tmp_path / "dist", FILES)
    result = publish(dist, f"s3://{bucket}", PublishSettings(), endpoint_url=s3_endpoint)
    assert [w for w in result.warnings if "CORS" in w] and result.feed_changed
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration=readme_cors_rule())
    again = publish(
        dist, f"s3://{bucket}", PublishSettings(), endpoint_url=s3_endpoint, dry_run=True
    )
    assert again.warnings == [] and not again.feed_changed


def readme_cors_rule() -> dict:
    """The CORS rule the manual's publishing page shows, as ``put-bucket-cors`` reads it."""
    import json

    page = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    block = page.split("put-bucket-cors")[1].split("```json\n", 1)[1].split("```", 1)[0]
    return json.loads(block)


P20SHOW = ROOT / "tests" / "fixtures" / "p20show" / "config" / "podcast.yaml"
#: SOURCE_DATE_EPOCH before, during and after the fixture's live stream
PENDING, LIVE, ENDED = "1710518400", "1710525600", "1710532800"


def build_at(epoch: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert main(["build", "--config", str(P20SHOW), "--out", str(out), "--quiet"]) in (0, 1)
    return out


def test_podping_says_live_when_a_live_item_turns_live_and_live_end_when_it_ends(
    tmp_path, endpoints, monkeypatch
) -> None:
    """The fixture's live stream built before, during and after its time and published each
    time: Podping hears ``update``, then ``live``, then ``liveEnd``; hubs hear of each."""
    site, dist = str(tmp_path / "site"), tmp_path / "dist"
    reasons = []
    for epoch in (PENDING, LIVE, ENDED):
        build_at(epoch, dist, monkeypatch)
        assert publish_cli(endpoints.config, dist, site, "--quiet") == 0
        reasons.append(endpoints.podping.seen[-1].query["reason"])
    assert reasons == [["update"], ["live"], ["liveEnd"]]
    assert endpoints.counts() == [3, 3, 3]


def test_podping_reason_from_the_published_and_the_new_feed(tmp_path, monkeypatch) -> None:
    feeds = {e: (build_at(e, tmp_path / e, monkeypatch) / "feed.xml").read_bytes()
             for e in (PENDING, LIVE, ENDED)}  # fmt: skip
    assert notify.podping_reason(None, feeds[LIVE]) == "live"  # first publish, already live
    assert notify.podping_reason(feeds[LIVE], feeds[LIVE]) == "update"
    assert notify.podping_reason(feeds[PENDING], feeds[ENDED]) == "update"  # never seen live
    assert notify.podping_reason(b"not a feed", feeds[PENDING]) == "update"
