"""The RSS feed: the corpus feed read by real consumers, Podcasting 2.0 tags, old traps."""

from __future__ import annotations

import email.utils
import io
import json
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import feedparser
import podcastparser
import pytest
from conftest import CORPUS, ROOT
from lxml import etree

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.build.run import source_date_epoch
from feedgen_pod.cli import main
from feedgen_pod.config import load_config, podcast_guid
from feedgen_pod.load.episodes import load_episode
from feedgen_pod.load.people import load_people
from feedgen_pod.model import (
    Audio,
    AudioSource,
    Category,
    Chapter,
    Clip,
    Cue,
    Enclosure,
    Episode,
    FeedSettings,
    Person,
    Show,
)

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "psc": "http://podlove.org/simple-chapters",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}

CONFIG = """\
title: Corpus Show
description: The corpus, as a show.
site_url: https://example.org
feed_url: https://example.org/podcast/feed.xml
base_url: https://example.org/podcast
language: en
author: Example
owner_name: Owner
owner_email: owner@example.org
image: https://example.org/cover.jpg
categories: [Technology, Education/Courses]
hosts: [alexeygrigorev]
episodes_dir: {episodes}
people_dir: {people}
chapters_dir: {chapters}
audio_feed: {feed}
"""
HOST_DURATION = "1:02:03"  # 3723 s: the host's duration is the real length


def host_item(episode: Episode, index: int) -> str:
    day = episode.published or date(2025, 1, 1 + index)
    pub = email.utils.format_datetime(
        email.utils.parsedate_to_datetime(f"{day:%d %b %Y} 16:00:00 +0000")
    )
    return f"""
    <item>
      <title>{episode.title.replace("&", "&amp;").replace("<", "&lt;")} - Guest</title>
      <link>https://creators.spotify.com/pod/profile/show/episodes/Some-Title-{episode.anchor_id}</link>
      <guid isPermaLink="false">host-guid-{episode.slug}</guid>
      <pubDate>{pub}</pubDate>
      <enclosure url="https://media.example.org/{episode.slug}.mp3" length="{1000 + index}"
                 type="audio/mpeg"/>
      <itunes:duration>{HOST_DURATION}</itunes:duration>
    </item>"""


def write_host_feed(path: Path, episodes: list[Episode], extra: str = "") -> None:
    items = "".join(host_item(e, i) for i, e in enumerate(episodes))
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">\n'
        f"  <channel><title>Host</title>{items}{extra}\n  </channel>\n</rss>\n",
        encoding="utf-8",
    )


UNMATCHED = """
    <item>
      <title>A bonus episode nobody wrote a file for</title>
      <guid>bonus-1</guid>
      <enclosure url="https://media.example.org/bonus.mp3" length="5" type="audio/mpeg"/>
    </item>"""


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (CI always has it)")
    tmp = tmp_path_factory.mktemp("corpus")
    problems: list = []
    people = load_people(CORPUS / "people", problems)
    episodes = [
        e
        for p in sorted((CORPUS / "episodes").glob("*.md"))
        if not p.name.startswith("_") and (e := load_episode(p, people, problems))
    ]
    assert all(e.anchor_id for e in episodes), "every corpus episode has an Anchor id"
    write_host_feed(tmp / "host.xml", episodes, UNMATCHED)
    config = tmp / "podcast.yaml"
    config.write_text(
        CONFIG.format(
            episodes=CORPUS / "episodes",
            people=CORPUS / "people",
            chapters=CORPUS / "chapters",
            feed=tmp / "host.xml",
        ),
        encoding="utf-8",
    )
    show, _ = load_config(config)
    report = build(show, BuildOptions(out=tmp / "dist"))
    data = (tmp / "dist" / "feed.xml").read_bytes()
    return show, episodes, report, data, tmp


def items(data: bytes) -> list[etree._Element]:
    return etree.fromstring(data).findall("channel/item")


def test_corpus_feed_has_every_episode_in_order(corpus_build) -> None:
    _, episodes, _, data, _ = corpus_build
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(episodes)
    assert "_s12e08" not in data.decode()  # the draft is skipped
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True), "newest first, as the build ordered them"


def test_feedparser_sees_enclosure_guid_date_duration(corpus_build) -> None:
    _, _, _, data, _ = corpus_build
    for entry in feedparser.parse(data).entries:
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith("https://media.example.org/")
        assert int(enclosure.length) >= 1000 and enclosure.type == "audio/mpeg"
        assert entry.id.startswith("host-guid-"), "the host's guid is kept"
        assert entry.published_parsed is not None
        assert entry.itunes_duration == "3723"
        assert "<br" not in entry.summary


def test_podcastparser_sees_every_item(corpus_build) -> None:
    _, episodes, _, data, tmp = corpus_build
    parsed = podcastparser.parse("file://" + str(tmp / "feed.xml"), __import__("io").BytesIO(data))
    assert parsed["explicit"] is False
    assert len(parsed["episodes"]) == len(episodes)
    by_guid = {e["guid"]: e for e in parsed["episodes"]}
    for episode in episodes:
        item = by_guid[f"host-guid-{episode.slug}"]
        assert item["total_time"] == 3723
        assert item["enclosures"][0]["file_size"] >= 1000
        assert item["published"] > 0
        assert (item["season"], item["number"]) == (episode.season, episode.number)
        # where Jekyll serves the page: the file name without its last extension
        page = episode.source.name.rsplit(".", 1)[0]
        assert item["link"] == f"https://example.org/podcast/{page}.html"


def test_podcast_namespace_tags(corpus_build) -> None:
    show, episodes, _, data, _ = corpus_build
    channel = etree.fromstring(data).find("channel")
    assert channel.findtext("podcast:guid", namespaces=NS) == podcast_guid(show.feed_url)
    locked = channel.find("podcast:locked", NS)
    assert (locked.text, locked.get("owner")) == ("yes", "owner@example.org")
    assert channel.findtext("podcast:medium", namespaces=NS) == "podcast"
    assert channel.find("atom:link[@rel='self']", NS).get("href") == show.feed_url
    assert channel.findtext("link") == "https://example.org"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    cats = [
        (c.get("text"), [s.get("text") for s in c]) for c in channel.findall("itunes:category", NS)
    ]
    assert cats == [("Technology", []), ("Education", ["Courses"])]
    by_page = {e.page_slug: e for e in episodes}
    for item in items(data):
        page = item.findtext("link").rsplit("/", 1)[1].removesuffix(".html")
        episode = by_page[page]
        assert item.findtext("podcast:season", namespaces=NS) == str(episode.season)
        assert item.findtext("podcast:episode", namespaces=NS) == str(episode.number)
        assert item.findtext("itunes:season", namespaces=NS) == str(episode.season)
        assert item.findtext("itunes:episode", namespaces=NS) == str(episode.number)
        assert item.findtext("itunes:explicit", namespaces=NS) == "false"
        persons = item.findall("podcast:person", NS)
        roles = [p.get("role") for p in persons]
        assert roles[0] == "host" and persons[0].text == "Alexey Grigorev"
        if any(g.key != "alexeygrigorev" for g in episode.guests):
            assert "guest" in roles
        for person in persons:
            assert person.get("href", "https://").startswith(("https://", "http://"))
            assert person.get("img", "https://").startswith("https://")


def test_content_encoded_is_sanitised_notes(corpus_build) -> None:
    _, _, _, data, _ = corpus_build
    for item in items(data):
        html = item.findtext("content:encoded", namespaces=NS) or ""
        assert "{:" not in html and "<script" not in html
        for link in etree.fromstring(f"<div>{html}</div>", etree.HTMLParser()).iter("a"):
            assert link.get("rel") == "noopener noreferrer"
            assert link.get("href", "").startswith(("https://", "http://", "mailto:"))


def test_last_build_date_is_the_newest_episode(corpus_build) -> None:
    _, _, _, data, _ = corpus_build
    channel = etree.fromstring(data).find("channel")
    newest = items(data)[0].findtext("pubDate")
    assert channel.findtext("lastBuildDate") == newest.replace("16:00:00", "12:00:00")


def test_unmatched_host_item_is_reported_with_its_line(corpus_build) -> None:
    _, _, report, _, _ = corpus_build
    found = [p for p in report.problems if "nobody wrote a file for" in p.message]
    assert len(found) == 1 and found[0].line and found[0].path.endswith("host.xml")
    assert not found[0].is_error


def test_same_input_same_bytes(corpus_build) -> None:
    show, _, _, data, tmp = corpus_build
    build(show, BuildOptions(out=tmp / "again"))
    assert (tmp / "again" / "feed.xml").read_bytes() == data


def test_default_show_builds_with_the_cli(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["build", "--out", str(tmp_path / "dist")]) == 0
    feed = feedparser.parse((tmp_path / "dist" / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) >= 1


# --- hand-made episodes: the tags later issues fill, and feedgen's old traps -----------------

SHOW = Show(
    title="T",
    description="D",
    site_url="https://example.org",
    feed_url="https://example.org/feed.xml",
    base_url="https://example.org/files",
    language="en",
    author="A",
    owner_name="O",
    owner_email="o@example.org",
    image_url="https://cdn.example.org/cover?size=3000",  # not .jpg/.png: feedgen drops it
    categories=(Category("Technology"),),
    explicit=True,
    hosts=(Person("h", "Host", website_url="https://h.example", source=Path("h.md")),),
    podcast_guid=podcast_guid("https://example.org/feed.xml"),
)


def make_episode(slug: str, day: date | None, **changes) -> Episode:
    audio = Audio(
        Enclosure(f"https://m.example/{slug}.mp3", 10, "audio/mpeg", 600.0),
        AudioSource.FRONT_MATTER,
    )
    return replace(
        Episode(
            slug=slug, source=Path(f"{slug}.md"), title=slug.upper(), published=day, audio=audio
        ),
        **changes,
    )


def feed_of(*episodes: Episode, build_time=None, problems=None, **show) -> etree._Element:
    from feedgen_pod.formats.rss import feed_xml

    show = replace(SHOW, build_time=build_time, **show)
    data, found = feed_xml(show, episodes)
    if problems is not None:
        problems.extend(found)
    return etree.fromstring(data)


def test_explicit_true_and_an_image_feedgen_would_drop() -> None:
    channel = feed_of(make_episode("a", date(2024, 1, 1))).find("channel")
    assert channel.findtext("itunes:explicit", namespaces=NS) == "true"
    assert channel.find("itunes:image", NS).get("href") == SHOW.image_url
    assert channel.findtext("item/itunes:explicit", namespaces=NS) == "true"


def test_an_episodes_own_explicit_flag_overrides_the_shows_on_its_item_only() -> None:
    episodes = [
        make_episode("clean", date(2024, 1, 3), explicit=False),
        make_episode("inherits", date(2024, 1, 2)),
        make_episode("marked", date(2024, 1, 1), explicit=True),
    ]
    root = feed_of(*episodes, explicit=False)
    channel = root.find("channel")
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    items = [i.findtext("itunes:explicit", namespaces=NS) for i in channel.iter("item")]
    assert items == ["false", "false", "true"]
    read = podcastparser.parse("https://example.org/f.xml", io.BytesIO(etree.tostring(root)))
    assert [e["explicit"] for e in read["episodes"]] == [False, False, True]
    assert feed_of(*episodes).find("channel/item[2]/itunes:explicit", NS).text == "true"


def test_items_keep_the_given_order_not_prepended() -> None:
    eps = [make_episode(s, date(2024, 1, 3 - i)) for i, s in enumerate(["new", "mid", "old"])]
    assert [i.findtext("title") for i in feed_of(*eps).iter("item")] == ["NEW", "MID", "OLD"]


def test_last_build_date_never_from_the_clock() -> None:
    undated = make_episode("a", None)
    assert feed_of(undated).find("channel/lastBuildDate") is None
    epoch = source_date_epoch({"SOURCE_DATE_EPOCH": "86400"})
    channel = feed_of(undated, build_time=epoch).find("channel")
    assert channel.findtext("lastBuildDate") == "Fri, 02 Jan 1970 00:00:00 +0000"
    dated = feed_of(make_episode("b", date(2023, 5, 6)), build_time=epoch)
    assert dated.findtext("channel/lastBuildDate") == "Sat, 06 May 2023 12:00:00 +0000"


def test_episode_without_audio_is_left_out_and_undated_is_reported() -> None:
    problems: list = []
    root = feed_of(make_episode("a", None), make_episode("b", None, audio=None), problems=problems)
    assert [i.findtext("title") for i in root.iter("item")] == ["A"]
    assert any(p.field == "date" for p in problems)


def test_guid_without_host_is_a_stable_uuid() -> None:
    guid = feed_of(make_episode("s01e01", date(2024, 1, 1))).findtext("channel/item/guid")
    assert guid == str(uuid.uuid5(uuid.UUID(SHOW.podcast_guid), "s01e01"))


def test_transcript_chapters_soundbite_and_psc_tags() -> None:
    episode = make_episode(
        "ep",
        date(2024, 1, 1),
        season=2,
        number=5,
        cues=(Cue(0.0, 2.0, "hi"),),
        chapters=(Chapter(0.0, 65.5, "Intro"), Chapter(65.5, 600.0, "Main", "https://x.example")),
        clips=(Clip("Bite", 30.0, 75.25, soundbite=True), Clip("Too short", 1.0, 3.0)),
        guests=(
            Person(
                "g",
                "Guest",
                linkedin_url="https://linkedin.com/in/g/",
                picture="/img/g.jpg",
                source=Path("g.md"),
            ),
        ),
    )
    item = feed_of(episode).find("channel/item")
    transcripts = item.findall("podcast:transcript", NS)
    assert [t.get("type") for t in transcripts] == [
        "text/vtt",
        "application/x-subrip",
        "application/json",
        "text/html",
    ]
    assert transcripts[0].get("url") == "https://example.org/files/episodes/ep/transcript.vtt"
    assert transcripts[0].get("rel") == "captions" and transcripts[2].get("rel") is None
    assert transcripts[0].get("language") == "en"
    chapters = item.find("podcast:chapters", NS)
    assert chapters.get("url") == "https://example.org/files/episodes/ep/chapters.json"
    assert chapters.get("type") == "application/json+chapters"
    (bite,) = item.findall("podcast:soundbite", NS)
    assert (bite.get("startTime"), bite.get("duration"), bite.text) == ("30", "45.25", "Bite")
    psc = item.find("psc:chapters", NS)
    assert psc.get("version") == "1.2"
    assert [(c.get("start"), c.get("title"), c.get("href")) for c in psc] == [
        ("00:00:00.000", "Intro", None),
        ("00:01:05.500", "Main", None),  # chapters.json has the link; psc_links puts it back
    ]
    linked = feed_of(episode, feed=FeedSettings(psc_links=True)).find("channel/item")
    assert [c.get("href") for c in linked.find("psc:chapters", NS)] == [None, "https://x.example"]
    guest = item.findall("podcast:person", NS)[1]
    assert (guest.get("role"), guest.get("href"), guest.get("img")) == (
        "guest",
        "https://linkedin.com/in/g/",
        "https://example.org/img/g.jpg",
    )


def test_notes_are_sanitised_and_kramdown_lists_hidden() -> None:
    notes = (
        '* [Site](https://a.example){:target="_blank"}\n'
        '* <https://b.example>{:target="_blank"}\n'
        '* <img src="/x.png" onerror="alert(1)"> <script>alert(2)</script>\n'
        "* [bad](javascript:alert(3)) [page](/people/p.html)\n"
        "{:.note}\n"
    )
    episode = make_episode("n", date(2024, 1, 1), notes=notes, intro="One.<br><br>Two.")
    item = feed_of(episode).find("channel/item")
    html = item.findtext("content:encoded", namespaces=NS)
    assert html.startswith("<p>One.</p><p>Two.</p>")
    assert '<a href="https://a.example" target="_blank" rel="noopener noreferrer">Site</a>' in html
    assert 'href="https://b.example"' in html
    assert "{:" not in html and "<script" not in html and "alert(2)" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html
    assert 'href="https://example.org/people/p.html"' in html
    assert item.findtext("description") == "One.\n\nTwo."


# --- a lean feed: few soundbites, psc without links, an archive, the size reported ---------


def _bites(*clips: Clip, limit: int = 2, duration: float = 3000.0) -> list[tuple[float, str]]:
    from feedgen_pod.formats.feedlinks import soundbites

    episode = make_episode("e", date(2024, 1, 1), clips=clips, declared_duration=duration)
    episode = replace(episode, audio=None)  # the duration is the declared one
    return [(b.start, b.title) for b in soundbites(episode, limit)]


def test_soundbites_marked_first_then_the_first_fitting_clips_after_two_minutes() -> None:
    clips = (
        Clip("intro", 0.0, 60.0),  # in the first two minutes
        Clip("long", 130.0, 400.0),  # over 120 s: not a soundbite unless marked
        Clip("first fit", 400.0, 460.0),
        Clip("second fit", 460.0, 500.0),
        Clip("best", 900.0, 1200.0, soundbite=True),  # marked: trimmed to 120 s
    )
    assert _bites(*clips) == [(400.0, "first fit"), (900.0, "best")]
    assert _bites(*clips, limit=3) == [(400.0, "first fit"), (460.0, "second fit"), (900.0, "best")]
    assert _bites(*clips, limit=0) == []
    assert _bites(Clip("short", 200.0, 210.0, soundbite=True)) == []  # under 15 s


def test_corpus_items_have_at_most_two_soundbites_and_every_chapter(corpus_build) -> None:
    _, _, report, data, tmp = corpus_build
    assert report.feed is not None and report.feed.size == len(data)
    checked = 0
    for item in items(data):
        assert len(item.findall("podcast:soundbite", NS)) <= 2
        psc = item.findall("psc:chapters/psc:chapter", NS)
        assert all(c.get("href") is None for c in psc)
        chapters_url = item.find("podcast:chapters", NS)
        if chapters_url is not None:
            slug = chapters_url.get("url").split("/episodes/")[1].split("/")[0]
            doc = json.loads((tmp / "dist" / "episodes" / slug / "chapters.json").read_bytes())
            assert [c.get("title") for c in psc] == [c["title"] for c in doc["chapters"]]
            checked += 1
    assert checked >= 10


def test_max_items_keeps_the_newest_and_archives_all_with_rfc5005_links() -> None:
    from feedgen_pod.formats.rss import show_outputs

    eps = [make_episode(s, date(2024, 1, 9 - i)) for i, s in enumerate("abc")]
    show = replace(SHOW, feed=FeedSettings(max_items=2))
    outputs = {o.path: etree.fromstring(o.data) for o in show_outputs(show, eps).outputs}
    main, archive = outputs["feed.xml"], outputs["feed-archive.xml"]
    assert [i.findtext("title") for i in main.iter("item")] == ["A", "B"]
    assert [i.findtext("title") for i in archive.iter("item")] == ["A", "B", "C"]
    links = {ln.get("rel"): ln.get("href") for ln in main.findall("channel/atom:link", NS)}
    assert links == {
        "self": "https://example.org/feed.xml",
        "prev-archive": "https://example.org/feed-archive.xml",
    }
    links = {ln.get("rel"): ln.get("href") for ln in archive.findall("channel/atom:link", NS)}
    assert links == {
        "self": "https://example.org/feed-archive.xml",
        "current": "https://example.org/feed.xml",
    }
    assert [o.path for o in show_outputs(SHOW, eps).outputs] == ["feed.xml"]  # default: no archive
    parsed = feedparser.parse(etree.tostring(archive))
    assert [e.title for e in parsed.entries] == ["A", "B", "C"]


def test_feed_size_lists_the_largest_items_and_a_large_feed_is_reported() -> None:
    from feedgen_pod.build.report import feed_size
    from feedgen_pod.formats.rss import feed_xml

    big = make_episode("big", date(2024, 1, 2), notes="word " * 2000)
    small = make_episode("small", date(2024, 1, 1))
    data, _ = feed_xml(SHOW, [big, small])
    size = feed_size(data, top=1)
    assert (size.size, size.items) == (len(data), 2)
    ((title, length),) = size.largest
    assert title == "BIG" and 10_000 < length < len(data)
    problems: list = []
    feed_of(big, small, problems=problems, feed=FeedSettings(warn_bytes=5000))
    assert [p.kind for p in problems] == ["feed-too-large"]
    problems.clear()
    feed_of(big, small, problems=problems)
    assert problems == []


# --- Podcasting 2.0 channel tags from the config, contentLink from the episode --------------

P20_CONFIG = """\
funding: [{url: https://example.org/support, text: Support the show}]
txt: [{purpose: applepodcastsverify, text: abc-123}]
update_frequency: {rrule: FREQ=WEEKLY;BYDAY=TU, text: Weekly on Tuesdays}
license: CC-BY-4.0
new_feed_url: https://new.example.org/feed.xml
block: true
complete: true
"""


def test_config_tags_reach_the_channel(tmp_path: Path) -> None:
    base = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    config = tmp_path / "podcast.yaml"
    config.write_text(base + P20_CONFIG, encoding="utf-8")
    show, _ = load_config(config)
    youtube = {"youtube": "https://www.youtube.com/watch?v=AAAAAAAAAAA"}
    episode = make_episode("a", date(2024, 1, 1), youtube_id="AAAAAAAAAAA")
    root = feed_of(episode, feed=show.feed)
    channel = root.find("channel")
    funding = channel.find("podcast:funding", NS)
    assert (funding.get("url"), funding.text) == ("https://example.org/support", "Support the show")
    txt = channel.find("podcast:txt", NS)
    assert (txt.get("purpose"), txt.text) == ("applepodcastsverify", "abc-123")
    freq = channel.find("podcast:updateFrequency", NS)
    assert (freq.get("rrule"), freq.text) == ("FREQ=WEEKLY;BYDAY=TU", "Weekly on Tuesdays")
    assert channel.findtext("podcast:license", namespaces=NS) == "CC-BY-4.0"
    assert (
        channel.findtext("itunes:new-feed-url", namespaces=NS) == "https://new.example.org/feed.xml"
    )
    assert channel.findtext("itunes:block", namespaces=NS) == "Yes"
    assert channel.findtext("itunes:complete", namespaces=NS) == "Yes"
    link = channel.find("item/podcast:contentLink", NS)
    assert (link.get("href"), link.text) == (youtube["youtube"], "Watch on YouTube")
    parsed = podcastparser.parse("x", __import__("io").BytesIO(etree.tostring(root)))
    assert parsed["episodes"][0]["title"] == "A"


@pytest.mark.parametrize(
    "extra",
    [
        "update_frequency: {rrule: WEEKLY, text: x}",
        "update_frequency: {rrule: FREQ=SOMETIMES, text: x}",
        "funding: [{url: http://example.org, text: x}]",
        "funding: [{url: https://example.org, text: " + "x" * 129 + "}]",
        "license: not an spdx id",
        "new_feed_url: http://example.org/feed.xml",
    ],
)
def test_bad_podcasting20_config_is_refused(tmp_path: Path, extra: str) -> None:
    from feedgen_pod.errors import ConfigError

    base = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    config = tmp_path / "podcast.yaml"
    config.write_text(base + extra + "\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(config)
