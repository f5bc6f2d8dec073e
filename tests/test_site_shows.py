"""Real shows of other static-site generators, built from untouched copies of their sites.

For each show in ../shared/shows with the feed its own generator built (``reference-feed.xml``),
a build with a hand-written config must give every reference item, with an enclosure, the same
guid and the same audio URL: ``feedgen-pod diff`` finds no break. podcastparser and feedparser
must read the result. Octopod has no reference feed: it must build and be read.
"""

from __future__ import annotations

import filecmp
import io
from pathlib import Path

import feedparser
import podcastparser
import pytest
from site_shows import CONFIGS, SHOWS, site_copy

from feedgen_pod.cli import main
from feedgen_pod.feeddiff import compare, load_feed

pytestmark = pytest.mark.skipif(not SHOWS.is_dir(), reason="../shared/shows is absent")

WITH_REFERENCE = sorted(name for name in CONFIGS if (SHOWS / name / "reference-feed.xml").is_file())


def _build(name: str, tmp_path: Path) -> tuple[Path, int]:
    site, config = site_copy(name, tmp_path)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.md")}
    code = main(["build", "--config", str(config), "--out", str(site / "dist"), "--quiet"])
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.md")}
    assert before == after  # no episode file is touched
    return site, code


@pytest.mark.parametrize("name", WITH_REFERENCE)
def test_every_reference_item_is_in_the_feed_with_its_guid_and_audio(name, tmp_path) -> None:
    site, code = _build(name, tmp_path)
    reference = load_feed(str(SHOWS / name / "reference-feed.xml"))
    ours = load_feed(str(site / "dist" / "feed.xml"))
    diff = compare(reference, ours)
    assert not diff.breaks, [f"{b.kind}: {b.label}: {b.message}" for b in diff.breaks[:5]]
    by_guid: dict[str, list] = {}
    for item in ours.items:
        by_guid.setdefault(item.guid, []).append(item)
    assert len(ours.items) >= len(reference.items)
    for item in reference.items:
        matches = by_guid.get(item.guid, [])
        assert matches, f"{item.label} is missing"
        assert any(m.enclosure_url == item.enclosure_url for m in matches), item.label
        assert all(m.enclosure_url for m in matches)
    # the show's own data has duplicate guids only in the theme's demo, which builds anyway
    assert code == (1 if name == "castanet-example" else 0)


@pytest.mark.parametrize("name", WITH_REFERENCE)
def test_the_cli_diff_finds_no_break(name, tmp_path, capsys) -> None:
    site, _ = _build(name, tmp_path)
    capsys.readouterr()
    reference = str(SHOWS / name / "reference-feed.xml")
    assert main(["diff", reference, str(site / "dist" / "feed.xml")]) == 0
    assert " 0 breaks" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_podcast_apps_read_the_feed(name, tmp_path) -> None:
    site, _ = _build(name, tmp_path)
    data = (site / "dist" / "feed.xml").read_bytes()
    parsed = podcastparser.parse("https://example.org/feed.xml", io.BytesIO(data))
    assert parsed["episodes"] and all(e["enclosures"] for e in parsed["episodes"])
    assert all(e["guid"] and e["published"] for e in parsed["episodes"])
    feed = feedparser.parse(data)
    assert not feed.bozo and len(feed.entries) == len(parsed["episodes"])


def test_octopod_gives_every_post_with_its_audio_and_chapters(tmp_path) -> None:
    site, code = _build("octopod-staging", tmp_path)
    assert code == 0
    data = (site / "dist" / "feed.xml").read_bytes()
    episodes = podcastparser.parse("https://example.org/feed.xml", io.BytesIO(data))["episodes"]
    assert len(episodes) == len(list((site / "_posts").glob("*.md")))
    urls = {e["enclosures"][0]["url"] for e in episodes}
    assert "https://octopod.example.org/episodes/59.mp3" in urls
    # Jekyll's date style: /2016/02/28/episode59.html from the post's name
    links = {e["link"] for e in episodes}
    assert any(link.endswith("/episode59.html") for link in links)
    chapters = list((site / "dist" / "episodes").glob("*/chapters.json"))
    assert chapters


def test_a_second_build_changes_nothing(tmp_path) -> None:
    site, _ = _build("thebakery", tmp_path)
    first = tmp_path / "first"
    (site / "dist").rename(first)
    main(["build", "--config", str(site / "feedgen-pod.yaml"), "--out", str(site / "dist")])
    assert not filecmp.dircmp(first, site / "dist").diff_files


def test_the_wrong_preset_is_an_error_that_names_files_and_what_to_set(tmp_path, capsys) -> None:
    site, config = site_copy("thebakery", tmp_path)
    config.write_text(config.read_text().replace("preset: jekyll-podcast", "preset: castanet"))
    code = main(["build", "--config", str(config), "--out", str(site / "dist"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    [line] = [line for line in err.splitlines() if "feed has no item" in line]
    assert "100 episode files found" in line and "_posts/2020-12-01-000-trailer.md" in line
    assert "set preset" in line and "podcast_file" in line
