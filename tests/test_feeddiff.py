"""``feedgen-pod diff``: real feeds built from the fixture show, edited the way a release goes
wrong, compared through the command as CI runs it; the URL form against a loopback server."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.cli import main
from feedgen_pod.config import load_config

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "show"
HOST_FEED = FIXTURE / "config" / "host-feed.xml"
NS = {
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
#: the fixture show's two items, newest first, as its feed names them
SECOND = ("Second: Anchor & Co", "4b1f0a52-7d3e-4c1a-9f5e-0c2d3e4f5a6b")
FIRST = ("First: Notes, <Escapes> & Chapters", "2f85184a-276c-584c-829b-e2b555a744b4")


def _build(out: Path) -> Path:
    show, _ = load_config(FIXTURE / "config" / "podcast.yaml")
    report = build(show, BuildOptions(out=out, use_cache=False))
    # the fixture's one file without audio is left out of the feed on purpose
    unexpected = [p for p in report.errors if p.kind != "episode-left-out"]
    assert not unexpected, [str(p) for p in unexpected]
    return out / "feed.xml"


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture show built twice, into two folders."""
    root = tmp_path_factory.mktemp("builds")
    return _build(root / "a"), _build(root / "b")


def edited(feed: Path, out: Path, change: Callable[[etree._Element], None]) -> Path:
    """A copy of ``feed`` with ``change`` applied to its parsed tree."""
    tree = etree.parse(str(feed))
    change(tree.getroot())
    out.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return out


def items(root: etree._Element) -> list[etree._Element]:
    return root.findall("channel/item")


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main(["diff", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def kinds(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, list[str]]:
    """The exit code and the kinds of the breaks, read back from the JSON report."""
    code, out, _ = run(capsys, *argv, "--format", "json")
    return code, [b["kind"] for b in json.loads(out)["breaks"]]


def test_a_rebuild_of_the_same_show_passes(feeds, capsys) -> None:
    old, new = feeds
    code, out, err = run(capsys, old, new)
    assert code == 0, out + err
    assert (
        out.splitlines()[-1] == "2 items before, 2 after: 0 added, 0 removed, 0 changed; 0 breaks"
    )


def test_new_feed_defaults_to_dist(feeds, capsys, tmp_path, monkeypatch) -> None:
    old, new = feeds
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "feed.xml").write_bytes(new.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, old)
    assert code == 0 and "→ dist/feed.xml" in out


def test_a_removed_item_is_a_break_unless_allowed(feeds, capsys, tmp_path) -> None:
    old, new = feeds
    smaller = edited(new, tmp_path / "feed.xml", lambda r: r.find("channel").remove(items(r)[1]))
    code, out, _ = run(capsys, old, smaller)
    assert code == 1
    title, guid = FIRST
    assert f"guid-removed: {title!r} (guid {guid}), old feed line" in out
    assert "1 removed" in out and "1 break" in out
    code, out, err = run(capsys, old, smaller, "--allow-removed", guid)
    assert code == 0, out
    assert f"- {title!r} (guid {guid})  (allowed)" in out
    assert err == ""
    code, _, err = run(capsys, old, smaller, "--allow-removed", guid, "--allow-removed", "typo")
    assert code == 0 and "--allow-removed typo: no item of" in err


def test_a_changed_guid_with_the_same_audio_is_a_break(feeds, capsys, tmp_path) -> None:
    old, new = feeds

    def change(root: etree._Element) -> None:
        items(root)[0].find("guid").text = "a-new-guid"

    code, out, _ = run(capsys, old, edited(new, tmp_path / "feed.xml", change))
    assert code == 1
    title, guid = SECOND
    assert f"guid-changed: {title!r} (guid a-new-guid), new feed line" in out
    assert f"had guid {guid} and now has guid a-new-guid" in out
    assert "0 removed" in out  # paired by its audio: one break, not a removal and an addition
    assert f"guid: {guid} → a-new-guid" in out


def test_a_duplicated_enclosure_or_guid_is_a_break(feeds, capsys, tmp_path) -> None:
    old, new = feeds

    def same_audio(root: etree._Element) -> None:
        second, first = items(root)
        first.find("enclosure").set("url", second.find("enclosure").get("url"))

    code, found = kinds(capsys, old, edited(new, tmp_path / "a.xml", same_audio))
    assert (code, found) == (1, ["duplicate-enclosure"])

    def same_guid(root: etree._Element) -> None:
        second, first = items(root)
        first.find("guid").text = second.find("guid").text

    code, found = kinds(capsys, old, edited(new, tmp_path / "b.xml", same_guid))
    # the first item's own guid is gone too, and it is paired by its audio
    assert (code, sorted(found)) == (1, ["duplicate-guid", "guid-changed"])


def test_swapped_audio_is_a_break(feeds, capsys, tmp_path) -> None:
    old, new = feeds

    def swap(root: etree._Element) -> None:
        second, first = (item.find("enclosure") for item in items(root))
        a, b = second.get("url"), first.get("url")
        second.set("url", b)
        first.set("url", a)

    code, out, _ = run(capsys, old, edited(new, tmp_path / "feed.xml", swap))
    assert code == 1
    assert out.count("enclosure-moved: ") == 2
    assert f"{SECOND[0]!r} (guid {SECOND[1]}), new feed line" in out
    assert f"now has the audio of {FIRST[0]!r} (guid {FIRST[1]}) in the old feed" in out


def test_a_changed_podcast_guid_or_self_link_is_a_break(feeds, capsys, tmp_path) -> None:
    old, new = feeds

    def show_guid(root: etree._Element) -> None:
        root.find("channel/podcast:guid", NS).text = "00000000-0000-5000-8000-000000000000"

    code, found = kinds(capsys, old, edited(new, tmp_path / "a.xml", show_guid))
    assert (code, found) == (1, ["podcast-guid-changed"])

    def self_link(root: etree._Element) -> None:
        root.find("channel/atom:link[@rel='self']", NS).set("href", "https://elsewhere.example/f")

    code, found = kinds(capsys, old, edited(new, tmp_path / "b.xml", self_link))
    assert (code, found) == (1, ["self-link-changed"])

    def to_http(root: etree._Element) -> None:
        link = root.find("channel/atom:link[@rel='self']", NS)
        link.set("href", link.get("href").replace("https://", "http://", 1))

    # the same address moving from http:// to https:// is the same feed: a change, not a break
    http_old = edited(old, tmp_path / "old-http.xml", to_http)
    code, out, _ = run(capsys, http_old, new)
    assert code == 0 and "atom:link self: http://" in out
    # the other way, or to another host, still is one
    code, found = kinds(capsys, old, http_old)
    assert (code, found) == (1, ["self-link-changed"])

    def no_show_guid(root: etree._Element) -> None:
        channel = root.find("channel")
        channel.remove(channel.find("podcast:guid", NS))

    # without podcast:guid, directories derive it from the self link: the fixture's is that
    # value, so leaving it out changes nothing for them
    no_guid = edited(new, tmp_path / "c.xml", no_show_guid)
    code, out, _ = run(capsys, old, no_guid)
    assert code == 0, out
    assert "podcast:guid: 080cbc85-2163-502d-8b52-3171206ba87e → (none)" in out
    # a feed that had none gets one other than its derived value: another show
    code, out, _ = run(capsys, no_guid, tmp_path / "a.xml")
    assert code == 1
    assert (
        "podcast-guid-changed: channel: podcast:guid changed from "
        "080cbc85-2163-502d-8b52-3171206ba87e (derived from the self link) to "
        "00000000-0000-5000-8000-000000000000"
    ) in out


def test_a_pubdate_moved_by_more_than_a_day_is_a_break(feeds, capsys, tmp_path) -> None:
    old, new = feeds

    def move(hours: str) -> Callable[[etree._Element], None]:
        def change(root: etree._Element) -> None:
            items(root)[1].find("pubDate").text = f"Mon, 01 Apr 2024 {hours} +0000"

        return change

    # six hours later: a change worth showing, not a break
    code, out, _ = run(capsys, old, edited(new, tmp_path / "a.xml", move("18:00:00")))
    assert code == 0 and "pubDate: Mon, 01 Apr 2024 12:00:00 +0000 → " in out

    def later(root: etree._Element) -> None:
        items(root)[1].find("pubDate").text = "Wed, 03 Apr 2024 12:00:00 +0000"

    code, out, _ = run(capsys, old, edited(new, tmp_path / "b.xml", later))
    assert code == 1
    assert f"pubdate-moved: {FIRST[0]!r} (guid {FIRST[1]})" in out and "+2.0 days" in out

    def unreadable(root: etree._Element) -> None:
        items(root)[1].find("pubDate").text = "sometime in April"

    code, found = kinds(capsys, old, edited(new, tmp_path / "c.xml", unreadable))
    assert (code, found) == (1, ["pubdate-invalid"])


def test_moving_from_the_host_feed(feeds, capsys) -> None:
    """The host's feed against ours: the matched episode keeps its guid and audio (its date
    moves by hours only); the host's trailer, which has no episode file, is a removal."""
    _, new = feeds
    code, found = kinds(capsys, HOST_FEED, new)
    assert (code, found) == (1, ["guid-removed"])
    code, out, _ = run(capsys, HOST_FEED, new, "--allow-removed", "trailer-1")
    assert code == 0, out
    assert "1 added, 1 removed, 1 changed; 0 breaks" in out
    assert "title: Second: Anchor & Co - Guest Person → Second: Anchor & Co" in out


def test_unreadable_feeds_exit_2(feeds, capsys, tmp_path) -> None:
    old, _ = feeds
    code, out, err = run(capsys, old, tmp_path / "missing.xml")
    assert (code, out) == (2, "")
    assert "missing.xml: No such file or directory" in err
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss>\n<channel>\n<item></channel></rss>")
    code, _, err = run(capsys, broken, old)
    assert code == 2 and f"error: {broken}:3: not well-formed XML" in err
    atom = tmp_path / "atom.xml"
    atom.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')
    code, _, err = run(capsys, old, atom)
    assert code == 2 and "not an RSS feed (no <channel> in <feed>)" in err
    code, _, err = run(capsys, "ftp://example.org/feed.xml", old)
    assert code == 2 and "only http(s) URLs or file paths" in err


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["diff"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["diff", "a.xml", "--format", "yaml"])
    assert exc.value.code == 2
    capsys.readouterr()


class _Feeds(http.server.BaseHTTPRequestHandler):
    """Serves ``server.files`` (path → bytes); anything else is a 404."""

    server: _FeedServer

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = self.server.files.get(self.path)
        self.server.paths.append(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


class _FeedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _Feeds)
        self.files = files
        self.paths: list[str] = []


@pytest.fixture
def live(feeds) -> Iterator[_FeedServer]:
    """The fixture show's feed, live at ``/podcast/feed.xml`` on a loopback server."""
    server = _FeedServer({"/podcast/feed.xml": feeds[0].read_bytes()})
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_the_live_feed_by_url(feeds, live, capsys, tmp_path) -> None:
    base = f"http://127.0.0.1:{live.server_address[1]}"
    _, new = feeds
    local = "--allow-private"  # a loopback server; refused without it
    code, out, _ = run(capsys, f"{base}/podcast/feed.xml", new, local)
    assert code == 0, out
    assert out.startswith(f"feed diff: {base}/podcast/feed.xml → ")
    smaller = edited(new, tmp_path / "feed.xml", lambda r: r.find("channel").remove(items(r)[0]))
    code, found = kinds(capsys, f"{base}/podcast/feed.xml", smaller, local)
    assert (code, found) == (1, ["guid-removed"])
    code, out, err = run(capsys, f"{base}/gone.xml", new, local)
    assert (code, out) == (2, "") and f"cannot read {base}/gone.xml: HTTP 404" in err
    assert live.paths == ["/podcast/feed.xml", "/podcast/feed.xml", "/gone.xml"]


def _broken(feeds: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A new feed with the first item removed and the second one's pubDate moved."""
    old, new = feeds

    def change(root: etree._Element) -> None:
        second, first = items(root)
        root.find("channel").remove(second)
        first.find("pubDate").text = "Fri, 05 Apr 2024 12:00:00 +0000"

    return old, edited(new, tmp_path / "feed.xml", change)


def test_json_report(feeds, capsys, tmp_path) -> None:
    old, new = _broken(feeds, tmp_path)
    code, out, _ = run(capsys, old, new, "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["failed"] is True
    assert doc["summary"] == {"added": 0, "removed": 1, "changed": 1, "breaks": 2}
    assert [(b["kind"], b["title"], b["guid"], b["feed"]) for b in doc["breaks"]] == [
        ("guid-removed", *SECOND, "old"),
        ("pubdate-moved", *FIRST, "new"),
    ]
    assert doc["removed"][0]["allowed"] is False
    assert doc["changed"][0]["changes"] == [
        {
            "field": "pubDate",
            "old": "Mon, 01 Apr 2024 12:00:00 +0000",
            "new": "Fri, 05 Apr 2024 12:00:00 +0000",
        }
    ]
    assert (doc["old"]["items"], doc["new"]["items"]) == (2, 1)


def test_markdown_report(feeds, capsys, tmp_path) -> None:
    old, new = _broken(feeds, tmp_path)
    code, out, _ = run(capsys, old, new, "--format", "markdown")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "## Feed diff"
    assert "**2 items before, 1 after: 0 added, 1 removed, 1 changed; 2 breaks**" in lines
    assert "| break | episode | guid | what apps will do |" in lines
    row = next(line for line in lines if line.startswith("| `guid-removed` |"))
    assert f"| Second: Anchor &amp; Co | `{SECOND[1]}` |" in row
    assert "### Removed (1)" in lines and "### Changed (1)" in lines
    # a title is text, never HTML
    assert f"- 'First: Notes, &lt;Escapes&gt; &amp; Chapters' (guid {FIRST[1]})" in lines
    code, out, _ = run(capsys, *feeds, "--format", "markdown")
    assert code == 0 and "No breaks: subscribers' apps keep every episode they have." in out


def test_github_report(feeds, capsys, tmp_path) -> None:
    old, new = _broken(feeds, tmp_path)
    code, out, _ = run(capsys, old, new, "--format", "github", "--output", tmp_path / "r.txt")
    assert code == 1 and out == ""
    lines = (tmp_path / "r.txt").read_text().splitlines()
    assert lines[0].startswith(f"::error file={old},line=")
    assert ",title=guid-removed::'Second: Anchor & Co' (guid " in lines[0]
    assert lines[1].startswith(f"::error file={new},line=")
    assert ",title=pubdate-moved::" in lines[1] and "+4.0 days" in lines[1]
    assert lines[2] == "2 items before, 1 after: 0 added, 1 removed, 1 changed; 2 breaks"
    code, out, _ = run(capsys, old, new, "--format", "github", "--allow-removed", SECOND[1])
    assert code == 1  # the pubDate still moved
    assert f"::notice title=removed (allowed)::'Second: Anchor & Co' (guid {SECOND[1]})" in out
