"""What a site's episode files say about each item beyond its enclosure, as apps read it.

An episode's own ``explicit`` flag (the "E" badge in apps) must survive into our feed for every
item of each real show's reference feed: an item's flag is its own ``itunes:explicit``, else the
channel's, for the reference and for ours alike. Octopod's other audio formats are
``podcast:alternateEnclosure`` tags, as Podcast Index's partytime reads them.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import feedparser
import podcastparser
import pytest
from conftest import ROOT
from lxml import etree
from site_shows import SHOWS, site_copy

from feedgen_pod.cli import main

pytestmark = pytest.mark.skipif(not SHOWS.is_dir(), reason="../shared/shows is absent")

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
OCTOPOD_MEDIA = "https://octopod.example.org/episodes/"
TRUE = {"true", "yes", "explicit"}


def _build(name: str, tmp_path: Path, edit=None) -> bytes:
    site, config = site_copy(name, tmp_path)
    if edit is not None:
        edit(site)
    main(["build", "--config", str(config), "--out", str(site / "dist"), "--quiet"])
    return (site / "dist" / "feed.xml").read_bytes()


def _app_flags(data: bytes) -> dict[str, bool]:
    """guid → the explicit flag an app shows: the item's own tag, else the channel's."""
    channel = etree.fromstring(data).find("channel")
    default = (channel.findtext(f"{{{ITUNES}}}explicit") or "").strip().lower() in TRUE
    flags = {}
    for item in channel.iter("item"):
        own = item.findtext(f"{{{ITUNES}}}explicit")
        flags[item.findtext("guid")] = default if own is None else own.strip().lower() in TRUE
    return flags


@pytest.mark.parametrize("name", ["arresteddevops", "castanet-example", "amillpod-astropod"])
def test_each_reference_items_explicit_flag_is_the_same_in_our_feed(name, tmp_path) -> None:
    reference = _app_flags((SHOWS / name / "reference-feed.xml").read_bytes())
    data = _build(name, tmp_path)
    ours = _app_flags(data)
    assert {g: ours.get(g) for g in reference} == reference
    # podcastparser (gPodder's reader) reads the item's own tag the same way; feedparser 6
    # knows only the old yes/clean values, so it only has to read the feed
    episodes = podcastparser.parse("https://example.org/f.xml", io.BytesIO(data))["episodes"]
    assert {e["guid"]: e["explicit"] for e in episodes} == ours
    assert not feedparser.parse(data).bozo


def test_arresteddevops_marks_its_explicit_episodes(tmp_path) -> None:
    """Most of its episodes are ``explicit = "yes"``, the show is not: the flags differ."""
    flags = _app_flags(_build("arresteddevops", tmp_path))
    assert sum(flags.values()) > 100 and not all(flags.values())


def test_an_astropod_episode_marked_explicit_keeps_its_flag(tmp_path) -> None:
    """Astropod writes the episode's ``explicit`` on its item, else the site's (false here)."""
    episodes = "src/content/episode"

    def mark(site: Path) -> None:
        path = site / episodes / "20071005a.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("explicit: false", "explicit: true", 1), encoding="utf-8")
        gone = site / episodes / "A20080307-Amillenialism.md"
        gone.write_text(gone.read_text(encoding="utf-8").replace("explicit: false\n", ""))

    data = _build("amillpod-astropod", tmp_path, mark)
    episodes_read = podcastparser.parse("https://example.org/f.xml", io.BytesIO(data))
    assert episodes_read["explicit"] is False
    by_link = {e["link"].rstrip("/").rsplit("/", 1)[-1]: e for e in episodes_read["episodes"]}
    assert by_link["20071005a"]["explicit"] is True
    assert by_link["a20080307-amillenialism"]["explicit"] is False  # the show's
    assert sum(e["explicit"] for e in episodes_read["episodes"]) == 1


def _alternates(item: etree._Element) -> list[tuple[str | None, ...]]:
    return [
        (a.get("type"), a.get("length"), a.get("default"), a.get("title"), source.get("uri"))
        for a in item.iterfind(f"{{{PODCAST}}}alternateEnclosure")
        for source in a.iterfind(f"{{{PODCAST}}}source")
    ]


def _octopod(tmp_path: Path) -> tuple[Path, dict[str, etree._Element]]:
    """Octopod built, with the sizes file knowing two files of episode 100; items by mp3."""

    def sizes(site: Path) -> None:
        known = {OCTOPOD_MEDIA + "100.mp3": 3000, OCTOPOD_MEDIA + "100.ogg": 2000}
        path = site / ".cache" / "feedgen-pod" / "sizes.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(known), encoding="utf-8")

    data = _build("octopod-staging", tmp_path, sizes)
    feed = tmp_path / "octopod-staging" / "dist" / "feed.xml"
    items = etree.fromstring(data).find("channel").iter("item")
    return feed, {i.find("enclosure").get("url").rsplit("/", 1)[-1]: i for i in items}


def test_octopods_other_formats_are_alternate_enclosures(tmp_path) -> None:
    _, items = _octopod(tmp_path)
    item = items["100.mp3"]
    assert item.find("enclosure").attrib == {
        "url": OCTOPOD_MEDIA + "100.mp3",
        "length": "3000",
        "type": "audio/mpeg",
    }
    # the enclosure first (the default), then m4a, ogg in the preset's order; sizes when known
    assert _alternates(item) == [
        ("audio/mpeg", "3000", "true", "MP3", OCTOPOD_MEDIA + "100.mp3"),
        ("audio/x-m4a", "0", None, "AAC", OCTOPOD_MEDIA + "100.m4a"),
        ("audio/ogg", "2000", None, "Ogg", OCTOPOD_MEDIA + "100.ogg"),
    ]
    posts = list((tmp_path / "octopod-staging" / "_posts").glob("*.md"))
    assert len(items) == len(posts)
    assert all(len(_alternates(i)) == 3 for i in items.values())


def test_partytime_reads_the_alternate_enclosures(tmp_path) -> None:
    script = ROOT / "tests" / "js" / "read_feed.js"
    if not shutil.which("node") or not (script.parent / "node_modules/podcast-partytime").is_dir():
        pytest.skip("node and tests/js/node_modules/podcast-partytime are needed (npm ci)")
    feed, _ = _octopod(tmp_path)
    run = subprocess.run(
        ["node", str(script), str(feed)], capture_output=True, text=True, timeout=120, check=True
    )
    items = json.loads(run.stdout)["items"]
    assert len(items) == len(list((tmp_path / "octopod-staging" / "_posts").glob("*.md")))
    (episode,) = [i for i in items if i["title"] == "Episode 100"]
    assert [
        (a["type"], a["length"], a["default"], a.get("title"), [s["uri"] for s in a["source"]])
        for a in episode["alternateEnclosures"]
    ] == [
        ("audio/mpeg", 3000, True, "MP3", [OCTOPOD_MEDIA + "100.mp3"]),
        ("audio/x-m4a", 0, False, "AAC", [OCTOPOD_MEDIA + "100.m4a"]),
        ("audio/ogg", 2000, False, "Ogg", [OCTOPOD_MEDIA + "100.ogg"]),
    ]


def test_a_site_with_one_format_has_no_alternate_enclosure(tmp_path) -> None:
    data = _build("thebakery", tmp_path)
    assert b"alternateEnclosure" not in data
