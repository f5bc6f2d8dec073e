"""Reading feeds for ``diff``: any host's RSS, checked against feedparser on our real feeds;
pairing and breaks as properties over generated feeds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import feedparser
import pytest
from conftest import corpus_show, needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.feeddiff import UnreadableFeed, compare, load_feed, parse_feed

OTHER_HOST = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:it="http://www.itunes.com/DTDs/Podcast-1.0.dtd"
     xmlns:a="http://www.w3.org/2005/Atom" xmlns:pi="https://podcastindex.org/namespace/1.0/">
<channel>
  <title>  Other \xe9 host  </title>
  <a:link rel="alternate" href="https://other.example/"/>
  <a:link rel="self" href=" https://other.example/feed.rss "/>
  <pi:guid>
    6f1c9d7e-0000-5000-8000-000000000001
  </pi:guid>
  <!-- a comment between tags -->
  <item>
    <title><![CDATA[A <b>bold</b>   title]]></title>
    <guid isPermaLink="true">
      https://other.example/ep/2
    </guid>
    <enclosure url="https://cdn.other.example/2.m4a" type="audio/x-m4a"/>
    <it:duration>01:02:03</it:duration>
    <pubDate>2024-05-06T18:00:00+02:00</pubDate>
    <it:episode>02</it:episode>
    <pi:season>1</pi:season>
  </item>
  <item>
    <title>No guid, no date</title>
    <enclosure url="https://cdn.other.example/1.mp3" length="99"/>
  </item>
  <item><description>Text only, no title, no audio</description></item>
</channel>
</rss>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://old.example/"><title>Old style</title></channel>
  <item rdf:about="https://old.example/1"><title>One</title></item>
</rdf:RDF>"""


def test_another_hosts_feed_is_read_as_apps_read_it() -> None:
    feed = parse_feed(OTHER_HOST, "other.rss")
    assert (feed.title, feed.self_link) == ("Other \xe9 host", "https://other.example/feed.rss")
    assert feed.podcast_guid == "6f1c9d7e-0000-5000-8000-000000000001"
    first, second, third = feed.items
    assert first.title == "A <b>bold</b> title"
    assert first.guid == "https://other.example/ep/2"
    assert (first.enclosure_url, first.enclosure_length) == (
        "https://cdn.other.example/2.m4a",
        None,
    )
    assert (first.duration, first.duration_text) == (3723.0, "01:02:03")
    assert first.published == datetime(2024, 5, 6, 16, tzinfo=timezone.utc)
    assert dict(first.numbers) == {
        "itunes:season": None,
        "itunes:episode": "02",
        "podcast:season": "1",
        "podcast:episode": None,
    }
    assert (second.guid, second.published, second.enclosure_length) == (None, None, "99")
    assert (third.title, third.enclosure_url, third.line) == ("", None, 27)
    assert third.label == "'(untitled)' (no guid)"


def test_rss_1_items_beside_the_channel() -> None:
    feed = parse_feed(RDF, "rdf.xml")
    assert feed.title == "Old style"
    assert [i.title for i in feed.items] == ["One"]


def test_items_without_guid_are_paired_by_audio_then_title() -> None:
    old = parse_feed(OTHER_HOST, "old.rss")
    # the same episodes, written the way our feed writes them
    new_xml = (
        OTHER_HOST.replace(b"01:02:03", b"3723")
        .replace(b"<it:episode>02</it:episode>", b"<it:episode>2</it:episode>")
        .replace(b"2024-05-06T18:00:00+02:00", b"Mon, 06 May 2024 16:00:00 GMT")
    )
    diff = compare(old, parse_feed(new_xml, "new.rss"))
    assert (diff.added, diff.removed, diff.changed, diff.breaks) == ((), (), (), ())
    # the guid-less item gets a guid: apps that knew it by its audio URL see a new episode
    given_guid = new_xml.replace(
        b"<title>No guid, no date</title>", b"<title>No guid, no date</title><guid>g-1</guid>"
    )
    diff = compare(old, parse_feed(given_guid, "new.rss"))
    assert [(b.kind, b.guid) for b in diff.breaks] == [("guid-changed", "g-1")]
    assert "had no guid (apps knew it by its audio URL)" in diff.breaks[0].message


def test_a_hostile_feed_is_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    feed = parse_feed(_titled("&xxe;", xxe), "xxe.xml")
    assert "TOP-SECRET-VALUE" not in feed.items[0].title
    entities = '<!ENTITY a0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    try:  # refused, or read without expanding: never a billion laughs in memory
        feed = parse_feed(_titled("&a9;", f"<!DOCTYPE rss [{entities}]>"), "bomb.xml")
        assert len(feed.items[0].title) < 1000
    except UnreadableFeed as exc:
        assert "bomb.xml:1: not well-formed XML" in str(exc)


def _titled(title: str, doctype: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<rss><channel><item><title>{title}</title>'
        "<guid>g</guid></item></channel></rss>"
    ).encode()


def test_not_a_feed_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFeed, match=r"page\.html:1: not well-formed XML"):
        parse_feed(b"<html><body>Not found<br></body></html>", "page.html")
    with pytest.raises(UnreadableFeed, match=r"empty\.xml:1: not well-formed XML"):
        parse_feed(b"", "empty.xml")
    folder = tmp_path / "dir.xml"
    folder.mkdir()
    with pytest.raises(UnreadableFeed, match="not a regular file"):
        load_feed(str(folder))


def _agrees_with_feedparser(path: Path) -> int:
    """Our reading of the feed at ``path`` matches feedparser's, item by item."""
    ours = load_feed(str(path))
    theirs = feedparser.parse(path.read_bytes())
    assert not theirs.bozo, theirs.bozo_exception
    assert len(ours.items) == len(theirs.entries) > 0
    assert ours.self_link == next(
        link.href for link in theirs.feed.links if link.get("rel") == "self"
    )
    for item, entry in zip(ours.items, theirs.entries):
        assert item.title == " ".join(entry.title.split())
        assert item.guid == entry.id
        assert item.enclosure_url == entry.enclosures[0].href
        assert item.enclosure_length == entry.enclosures[0].length
        assert item.published is not None
        assert item.published.utctimetuple()[:6] == entry.published_parsed[:6]
    return len(ours.items)


def test_our_fixture_feed_reads_as_feedparser_reads_it(tmp_path: Path) -> None:
    from feedgen_pod.config import load_config

    show, _ = load_config(Path(__file__).parent / "fixtures" / "show" / "config" / "podcast.yaml")
    build(show, BuildOptions(out=tmp_path, use_cache=False))
    assert _agrees_with_feedparser(tmp_path / "feed.xml") == 2


@needs_shared
def test_the_corpus_feed_reads_as_feedparser_reads_it_and_passes_itself(tmp_path: Path) -> None:
    report = build(corpus_show(), BuildOptions(out=tmp_path / "dist", use_cache=False))
    # corpus files the host feed has no item for are left out of the feed, as errors
    unexpected = [p for p in report.errors if p.kind != "episode-left-out"]
    assert not unexpected, [str(p) for p in unexpected][:5]
    feed = tmp_path / "dist" / "feed.xml"
    count = _agrees_with_feedparser(feed)
    assert compare(load_feed(str(feed)), load_feed(str(feed))).breaks == ()
    # every guid changed at once (a changed podcast_guid with no host feed): one break each
    changed = feed.read_bytes().replace(b'<guid isPermaLink="false">', b"<guid>x-")
    diff = compare(load_feed(str(feed)), parse_feed(changed, "changed.xml"))
    assert [b.kind for b in diff.breaks] == ["guid-changed"] * count


_DAY0 = datetime(2020, 1, 1, 12, tzinfo=timezone.utc)


def _rss(items: list[tuple[str, int, int]]) -> bytes:
    """A feed of (guid, audio number, hours after day 0) items."""
    body = "".join(
        f"<item><title>Episode {guid}</title><guid>{guid}</guid>"
        f'<enclosure url="https://cdn.example/{audio}.mp3" length="1" type="audio/mpeg"/>'
        f"<pubDate>{format_datetime(_DAY0 + timedelta(hours=hours))}</pubDate></item>"
        for guid, audio, hours in items
    )
    return f'<rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


_feeds = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 24 * 3000)),
    min_size=1,
    max_size=30,
    unique_by=lambda t: t[0],
)


@settings(max_examples=60, deadline=None)
@given(items=_feeds, data=st.data())
def test_removals_and_small_date_moves_are_found_exactly(items, data) -> None:
    old_items = [(f"g{n}", n, hours) for n, hours in items]
    kept = data.draw(st.lists(st.sampled_from(old_items), unique=True))
    kept = data.draw(st.permutations(kept))
    jitter = data.draw(st.lists(st.integers(-24, 24), min_size=len(kept), max_size=len(kept)))
    new_items = [(g, a, h + j) for (g, a, h), j in zip(kept, jitter)]
    old = parse_feed(_rss(old_items), "old")
    new = parse_feed(_rss(new_items), "new")
    diff = compare(old, new)
    gone = {g for g, _, _ in old_items} - {g for g, _, _ in kept}
    assert {b.guid for b in diff.breaks} == gone
    assert {b.kind for b in diff.breaks} <= {"guid-removed"}
    assert {i.guid for i in diff.removed} == gone and diff.added == ()
    assert {c.new.guid for c in diff.changed} == {g for (g, _, _), j in zip(kept, jitter) if j}
    assert compare(new, new).breaks == compare(old, old).breaks == ()
    # and any guid in the new feed twice is reported, once per extra item
    if kept:
        twice = parse_feed(_rss([*new_items, (kept[0][0], 99_999, 0)]), "new")
        assert [b.kind for b in compare(old, twice).breaks if b.kind != "guid-removed"] == [
            "duplicate-guid"
        ]


def test_an_item_with_the_wrong_audio_is_found() -> None:
    old = parse_feed(_rss([("a", 1, 0), ("b", 2, 0)]), "old")
    # b is left out and a now points at b's audio: one episode's sound under another's title
    new = parse_feed(_rss([("a", 2, 0)]), "new")
    assert sorted(b.kind for b in compare(old, new).breaks) == ["enclosure-moved", "guid-removed"]
    lost = etree.fromstring(_rss([("a", 1, 0)]))
    lost.find("channel/item").remove(lost.find("channel/item/enclosure"))
    diff = compare(old, parse_feed(etree.tostring(lost), "new"), allow_removed=["b"])
    assert [b.kind for b in diff.breaks] == ["enclosure-missing"]
