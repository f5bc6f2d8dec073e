"""Host feed matching: Anchor id, then YouTube id, then title; local files and 127.0.0.1 URLs."""

from __future__ import annotations

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from feedgen_pod.errors import Problem
from feedgen_pod.load.audio_match import normalise_title
from feedgen_pod.load.hostfeed import HostFeed, parse_duration
from feedgen_pod.model import AudioSource, Episode
from feedgen_pod.net import NetPolicy

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Host</title>
<item>
  <title>By Anchor</title>
  <link>https://podcasters.spotify.com/pod/show/x/episodes/By-Anchor---Guest-e376e66</link>
  <guid isPermaLink="false">guid-anchor</guid>
  <pubDate>Fri, 22 Aug 2025 16:00:00 GMT</pubDate>
  <enclosure url="https://m.example/a.mp3" length="111" type="audio/mpeg"/>
  <itunes:duration>01:01:15</itunes:duration>
</item>
<item>
  <title>Whatever the host calls it</title>
  <description>Watch: https://www.youtube.com/watch?v=5km62e4nDaw</description>
  <guid>guid-youtube</guid>
  <enclosure url="https://m.example/y.mp3" length="222" type="audio/x-m4a"/>
  <itunes:duration>3600</itunes:duration>
</item>
<item>
  <title>The Future of AI Agents - Aditya Gautam</title>
  <guid>guid-title</guid>
  <enclosure url="https://m.example/t.mp3" length="333"/>
</item>
<item>
  <title>Nobody's</title>
  <guid>guid-left</guid>
  <enclosure url="https://m.example/n.mp3" length="4"/>
</item>
</channel></rss>
"""


def episode(slug: str, title: str = "T", **kw) -> Episode:
    return Episode(slug=slug, source=Path(f"{slug}.md"), title=title, **kw)


@pytest.fixture
def feed(tmp_path: Path) -> tuple[HostFeed, list[Problem]]:
    path = tmp_path / "host.xml"
    path.write_bytes(FEED)
    problems: list[Problem] = []
    return HostFeed.load(str(path), problems), problems


def test_match_by_anchor_id_keeps_guid_date_duration(feed) -> None:
    host, problems = feed
    got = host.attach(episode("a", anchor_id="e376e66"))
    assert got.audio.source is AudioSource.HOST_FEED
    assert got.audio.guid == "guid-anchor" and got.audio.published == date(2025, 8, 22)
    assert got.audio.enclosure.length == 111 and got.audio.enclosure.duration == 3675
    assert not problems


def test_match_by_youtube_id_then_title(feed) -> None:
    host, _ = feed
    by_yt = host.attach(episode("y", anchor_id="eNOPE00", youtube_id="5km62e4nDaw"))
    assert by_yt.audio.guid == "guid-youtube" and by_yt.audio.enclosure.type == "audio/x-m4a"
    by_title = host.attach(episode("t", title="The future of AI agents!"))
    assert by_title.audio.guid == "guid-title"
    assert by_title.audio.enclosure.type == "audio/mpeg"  # the default when type is missing


def test_unmatched_items_are_warnings_with_a_place(feed) -> None:
    host, problems = feed
    host.attach(episode("a", anchor_id="e376e66"))
    lonely = host.attach(episode("z", title="Nothing like it", anchor_id="e0000000"))
    assert lonely.audio is None
    assert "e0000000" in host.unmatched(lonely)
    host.claim(episode("y", youtube_id="5km62e4nDaw"))
    host.report_unmatched()
    left = [p for p in problems if "matches no episode file" in p.message]
    assert [p.message for p in left] == [
        "item 'The Future of AI Agents - Aditya Gautam' matches no episode file",
        'item "Nobody\'s" matches no episode file',
    ]
    assert all(p.line and not p.is_error for p in left)


def test_one_item_serves_one_episode(feed) -> None:
    host, problems = feed
    host.attach(episode("first", anchor_id="e376e66"))
    second = host.attach(episode("second", anchor_id="e376e66"))
    assert second.audio is None and not problems


def test_broken_or_missing_feed_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_bytes(b"<rss><channel><item>")
    problems: list[Problem] = []
    host = HostFeed.load(str(tmp_path / "bad.xml"), problems)
    assert host.items == [] and len(problems) == 1 and problems[0].is_error
    HostFeed.load(str(tmp_path / "missing.xml"), problems)
    assert len(problems) == 2 and "cannot read the host feed" in problems[1].message


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><item><title>&x;</title></item></channel></rss>"
    )
    (tmp_path / "x.xml").write_text(xxe)
    host = HostFeed.load(str(tmp_path / "x.xml"), [])
    assert all("SECRET" not in item.title for item in host.items)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/feed.xml":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(FEED)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_feed_from_a_url() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        problems: list[Problem] = []
        HostFeed.load(f"{base}/feed.xml", problems)  # loopback: refused unless allowed
        assert len(problems) == 1 and "refused" in problems[0].message
        assert problems[0].kind == "host-feed-unreachable"
        problems.clear()
        local = NetPolicy(timeout=5, allow_hosts=frozenset({base.split("//")[1]}))
        host = HostFeed.load(f"{base}/feed.xml", problems, local)
        assert len(host.items) == 4 and not problems
        HostFeed.load(f"{base}/gone.xml", problems, local)
        assert len(problems) == 1 and "HTTP 404" in problems[0].message
        assert problems[0].path == f"{base}/gone.xml"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_small_parsers() -> None:
    assert parse_duration("01:13:20") == 4400 and parse_duration("4400") == 4400
    assert parse_duration("73:20") == 4400 and parse_duration("soon") is None
    assert normalise_title("Café — Über: ML!") == "cafe uber ml"


def test_an_episode_the_host_feed_lacks_gets_one_error_saying_why(tmp_path: Path) -> None:
    """No item matches and no audio are one problem: one error, with what was tried."""
    from feedgen_pod.load.audio import AudioResolver
    from feedgen_pod.model import Category, Show

    path = tmp_path / "host.xml"
    path.write_bytes(FEED)
    show = Show("S", "D", "https://e.org", "https://e.org/f.xml", "https://e.org", "en", "A",
                "O", "o@e.org", "https://e.org/i.jpg", (Category("Technology"),))  # fmt: skip
    problems: list[Problem] = []
    resolver = AudioResolver(show, str(path), problems)
    lonely = resolver.attach(episode("z", title="Nothing like it", anchor_id="e0000000"))
    assert lonely.audio is None
    [error] = [p for p in problems if p.path == "z.md"]
    # a show with a host feed that lacks the episode leaves it out of the feed: an error
    assert error.field == "audio" and error.is_error and error.kind == "episode-left-out"
    assert error.message.startswith("no audio: no item of the host feed ")
    assert "Anchor id e0000000" in error.message and "left out of feed.xml" in error.message
