"""Directory rules: small shows that break one rule each, built for real, and the problems
named by episode file, feed element, kind and severity; the corpus reports only what is real."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import feedparser
from conftest import corpus_show
from lxml import etree

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.checks.directory_rules import ItemSource, check_feed
from feedgen_pod.cli import main
from feedgen_pod.config import load_config
from feedgen_pod.errors import Severity
from feedgen_pod.load.episodes import slug_for

KINDS = {
    "apple-description-too-long",
    "apple-description-html",
    "apple-text-too-long",
    "apple-enclosure-url-not-ascii",
    "apple-duplicate-guid",
    "apple-duplicate-enclosure",
    "apple-artwork-url",
    "apple-explicit-value",
    "feed-invalid-html",
    "podcast-url-not-https",
    "podcast-text-too-long",
}

CONFIG = """\
title: Rules Show
description: A show that breaks one rule per episode.
site_url: https://example.org
feed_url: https://example.org/podcast/feed.xml
base_url: https://example.org/podcast
language: en
author: Example
owner_name: Owner
owner_email: owner@example.org
image: {image}
categories: [Technology]
hosts: [host]
episodes_dir: episodes
people_dir: people
"""


def episode(title: str, url: str, extra: str = "", day: int = 1) -> str:
    return (
        f"---\ntitle: {title!r}\ndateadded: 2024-05-{day:02d}\n{extra}"
        f"audio:\n  url: {url}\n  length: 1000\n  type: audio/mpeg\n---\nNotes.\n"
    )


def make_show(
    tmp: Path,
    episodes: dict[str, str],
    image: str = "https://e.org/c.jpg",
    people: dict[str, str] | None = None,
) -> Path:
    (tmp / "episodes").mkdir()
    (tmp / "people").mkdir()
    for key, text in {"host": "---\ntitle: Host Person\n---\n", **(people or {})}.items():
        (tmp / "people" / f"{key}.md").write_text(text, encoding="utf-8")
    for name, text in episodes.items():
        (tmp / "episodes" / name).write_text(text, encoding="utf-8")
    config = tmp / "podcast.yaml"
    config.write_text(CONFIG.format(image=image), encoding="utf-8")
    return config


def rule_problems(config: Path, tmp: Path) -> set[tuple[str, int | None, str, str, Severity]]:
    show, _ = load_config(config)
    report = build(show, BuildOptions(out=tmp / "dist", use_cache=False, jobs=1))
    return {
        (Path(p.path).name, p.line, p.field, p.kind, p.severity)
        for p in report.problems
        if p.kind in KINDS
    }


def test_duplicate_enclosure_and_guid_are_errors_on_both_files(tmp_path: Path) -> None:
    same = "https://m.example.org/same.mp3"
    config = make_show(
        tmp_path,
        {
            "a.md": episode("A", same, day=1),
            "b.md": episode("B", same, day=2),
            "c.md": episode("C", "https://m.example.org/c.mp3", "guid: shared\n", day=3),
            "d.md": episode("D", "https://m.example.org/d.mp3", "guid: shared\n", day=4),
        },
    )
    found = rule_problems(config, tmp_path)
    error = Severity.ERROR
    assert found == {
        ("a.md", 4, "enclosure", "apple-duplicate-enclosure", error),
        ("b.md", 4, "enclosure", "apple-duplicate-enclosure", error),
        ("c.md", 4, "guid", "apple-duplicate-guid", error),
        ("d.md", 4, "guid", "apple-duplicate-guid", error),
    }


def test_each_file_is_told_the_other(tmp_path: Path) -> None:
    same = "https://m.example.org/same.mp3"
    config = make_show(tmp_path, {"a.md": episode("A", same), "b.md": episode("B", same, day=2)})
    show, _ = load_config(config)
    report = build(show, BuildOptions(out=tmp_path / "dist", use_cache=False, jobs=1))
    messages = {p.path: p.message for p in report.errors if p.kind == "apple-duplicate-enclosure"}
    assert "episodes/b.md ('B')" in messages[next(p for p in messages if p.endswith("a.md"))]
    assert "episodes/a.md ('A')" in messages[next(p for p in messages if p.endswith("b.md"))]


def test_text_url_and_artwork_rules(tmp_path: Path) -> None:
    guest = f"---\ntitle: {'N' * 130}\nweb: http://guest.example.org\n---\n"
    clip = "quotableClips:\n- name: " + "c" * 130 + "\n  startOffset: 130\n  endOffset: 160\n"
    config = make_show(
        tmp_path,
        {
            "long.md": episode("L", "https://m.example.org/l.mp3", f"intro: {'é' * 2001}\n"),
            "title.md": episode("T" * 256, "https://m.example.org/t.mp3", day=2),
            "ascii.md": episode("U", "https://m.example.org/épisode.mp3", day=3),
            "art.md": episode("W", "https://m.example.org/w.mp3", "image: x/w.webp\n", day=4),
            "guest.md": episode("G", "https://m.example.org/g.mp3", "guests: [guest]\n", day=5),
            "clip.md": episode("C", "https://m.example.org/c.mp3", clip, day=6),
        },
        image="https://example.org/cover.gif",
        people={"guest": guest},
    )
    found = rule_problems(config, tmp_path)
    warning, error = Severity.WARNING, Severity.ERROR
    assert found == {
        ("long.md", 4, "description", "apple-description-too-long", warning),
        ("title.md", 2, "title", "apple-text-too-long", warning),
        ("ascii.md", 4, "enclosure", "apple-enclosure-url-not-ascii", error),
        ("art.md", 4, "itunes:image", "apple-artwork-url", warning),
        ("guest.md", None, "podcast:person@href", "podcast-url-not-https", warning),
        ("guest.md", None, "podcast:person", "podcast-text-too-long", warning),
        ("clip.md", None, "podcast:soundbite", "podcast-text-too-long", warning),
        ("podcast.yaml", 10, "itunes:image", "apple-artwork-url", error),
        ("podcast.yaml", 10, "image", "apple-artwork-url", error),
    }


def test_a_clean_show_has_no_reports(tmp_path: Path) -> None:
    config = make_show(tmp_path, {"ok.md": episode("R&D <team>", "https://m.example.org/r.mp3")})
    assert rule_problems(config, tmp_path) == set()


def test_r_and_d_round_trips_and_the_description_is_valid_html(tmp_path: Path) -> None:
    intro = "intro: 'R&D at 3 < 4 & <b>bold</b>'\n"
    config = make_show(tmp_path, {"rd.md": episode("R&D", "https://m.example.org/r.mp3", intro)})
    assert rule_problems(config, tmp_path) == set()
    data = (tmp_path / "dist" / "feed.xml").read_bytes()
    assert b"R&amp;amp;D at 3 &amp;lt; 4" in data, "an &amp; inside the HTML, escaped in XML"
    (entry,) = feedparser.parse(data).entries
    assert entry.title == "R&D"
    assert entry.summary_detail.type == "text/html"
    assert html.unescape(entry.summary) == "R&D at 3 < 4 & bold"
    description = etree.fromstring(data).findtext("channel/item/description")
    assert not re.search(r"&(?![a-z]+;|#\d+;)|<", description), description


def test_feeds_the_builder_cannot_write_are_reported_too() -> None:
    """Rules that guard against HTML and values our writer never produces, on raw bytes."""
    feed = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>S</title><description>Fine</description>
<itunes:explicit>yes</itunes:explicit>
<itunes:image href="https://e.org/c.png"/>
<item><title>R&amp;D</title><guid>g1</guid>
<description><![CDATA[<h2>R&D</h2><p>ok</p>]]></description>
<content:encoded><![CDATA[<p>a < b</p>]]></content:encoded>
<enclosure url="https://m.e.org/1.mp3" length="1" type="audio/mpeg"/>
<itunes:explicit>clean</itunes:explicit>
<podcast:transcript url="http://e.org/t.vtt" type="text/vtt"/>
</item>
<item><title>Unknown</title><guid>nobody</guid>
<enclosure url="https://m.e.org/2.mp3" length="1" type="audio/mpeg"/></item>
</channel></rss>"""
    items = {"g1": [ItemSource("episodes/rd.md", {"intro": 7})]}
    found = {(p.path, p.line, p.field, p.kind, p.severity) for p in check_feed(feed, items, "cfg")}
    warning, error = Severity.WARNING, Severity.ERROR
    assert found == {
        ("cfg", None, "itunes:explicit", "apple-explicit-value", error),
        ("episodes/rd.md", 7, "description", "apple-description-html", warning),
        ("episodes/rd.md", 7, "description", "feed-invalid-html", warning),
        ("episodes/rd.md", 7, "content:encoded", "feed-invalid-html", warning),
        ("episodes/rd.md", None, "itunes:explicit", "apple-explicit-value", warning),
        ("episodes/rd.md", None, "podcast:transcript@url", "podcast-url-not-https", warning),
    }


def test_validate_reports_the_rules(tmp_path: Path, capsys) -> None:
    same = "https://m.example.org/same.mp3"
    config = make_show(tmp_path, {"a.md": episode("A", same), "b.md": episode("B", same, day=2)})
    assert main(["validate", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"episodes/a\.md:4: error: enclosure: audio URL .* is also", err), err
    assert re.search(r"episodes/b\.md:4: error: enclosure: audio URL .* is also", err), err


# -- the episode page link -------------------------------------------------------------------


def test_page_link_follows_jekyll_and_front_matter(tmp_path: Path) -> None:
    config = make_show(
        tmp_path,
        {
            "plain.md": episode("P", "https://m.example.org/p.mp3"),
            "double.md.md": episode("D", "https://m.example.org/d.mp3", day=2),
            "Cased Name.md": episode("C", "https://m.example.org/c.mp3", day=3),
            "sl.md": episode("S", "https://m.example.org/s.mp3", "slug: my-page\n", day=4),
            "pl.md": episode("L", "https://m.example.org/l.mp3", "permalink: /ep/l/\n", day=5),
            "bad.md": episode("B", "https://m.example.org/b.mp3", "permalink: /:title\n", day=6),
        },
    )
    show, _ = load_config(config)
    report = build(show, BuildOptions(out=tmp_path / "dist", use_cache=False, jobs=1))
    links = {
        e.findtext("title"): e.findtext("link")
        for e in etree.parse(tmp_path / "dist" / "feed.xml").iterfind("channel/item")
    }
    site = "https://example.org"
    assert links == {
        "P": f"{site}/podcast/plain.html",
        "D": f"{site}/podcast/double.md.html",
        "C": f"{site}/podcast/Cased-Name.html",
        "S": f"{site}/podcast/my-page.html",
        "L": f"{site}/ep/l/",
        "B": f"{site}/podcast/bad.html",
    }
    (bad,) = [p for p in report.problems if p.field == "permalink"]
    assert bad.path.endswith("bad.md") and bad.line == 4 and bad.is_error
    assert (tmp_path / "dist" / "episodes" / "double" / "episode.jsonld").is_file(), (
        "the output folder keeps its slug"
    )


def test_corpus_md_md_file_links_where_jekyll_serves_it(corpus) -> None:
    from feedgen_pod.load.episodes import load_episode

    (path,) = (corpus / "episodes").glob("*.md.md")
    loaded = load_episode(path, {}, [])
    assert loaded is not None
    page = corpus_show().episode_page(loaded)
    assert page == f"https://datatalks.club/podcast/{path.name[:-3]}.html"
    assert page.endswith(".md.html")


# -- the corpus ------------------------------------------------------------------------------


def test_corpus_reports_only_what_is_real(corpus, tmp_path: Path) -> None:
    """Every corpus episode in the feed (a local audio file each): the one report is a guest's
    website that is http, which is true of the profile."""
    media = tmp_path / "media"
    media.mkdir()
    for path in (corpus / "episodes").glob("*.md"):
        (media / f"{slug_for(path)}.mp3").write_bytes(b"\xff\xfb" + bytes(998))
    show = replace(corpus_show(), audio_feed=None, media_dir=media)
    report = build(show, BuildOptions(out=tmp_path / "dist", use_cache=False, jobs=1))
    assert report.episodes and all(e.audio for e in report.episodes)
    found = [(Path(p.path).name, p.field, p.kind) for p in report.problems if p.kind in KINDS]
    assert found == [
        (
            "from-software-engineer-to-machine-learning.md",
            "podcast:person@href",
            "podcast-url-not-https",
        )
    ]
    (person,) = [p for p in report.problems if p.kind in KINDS]
    assert "http://digest.underfitted.io/" in person.message
    assert "Santiago Valdarrama" in person.message


def test_corpus_default_build_has_no_rule_reports(corpus, tmp_path: Path) -> None:
    report = build(corpus_show(), BuildOptions(out=tmp_path / "dist", use_cache=False, jobs=1))
    assert [p for p in report.problems if p.kind in KINDS] == []


def test_every_kind_is_the_module_s_and_on_its_page() -> None:
    root = Path(__file__).parent.parent
    source = (root / "feedgen_pod" / "checks" / "directory_rules.py").read_text()
    assert set(re.findall(r'"((?:apple|podcast|feed)-[a-z-]+)"', source)) == KINDS
    page = (root / "docs" / "directory-rules.md").read_text()
    assert {kind for kind in KINDS if f"`{kind}`" in page} == KINDS


def test_items_checked_where_built_match_the_whole_feed_checked_at_once(
    tmp_path: Path, capsys
) -> None:
    """A build checks each item where its episode is built (kept in the episode's cache entry)
    and the channel and duplicates once; ``validate`` checks the whole feed: the same findings,
    also on a rebuild that reuses every episode."""
    same = "https://m.example.org/same.mp3"
    config = make_show(
        tmp_path,
        {
            "long.md": episode("L", "https://m.example.org/l.mp3", f"intro: {'é' * 2001}\n"),
            "ascii.md": episode("U", "https://m.example.org/épisode.mp3", day=3),
            "a.md": episode("A & B", same, day=4),
            "b.md": episode("B", same, day=5),
        },
        image="https://example.org/cover.gif",
    )
    show, _ = load_config(config)

    def found(problems) -> set:
        return {(Path(p.path).name, p.line, p.field, p.kind) for p in problems if p.kind in KINDS}

    options = BuildOptions(out=tmp_path / "dist", cache_dir=tmp_path / "cache", jobs=1)
    built = found(build(show, options).problems)
    rebuilt = build(show, options)
    assert rebuilt.reused == 4 and found(rebuilt.problems) == built
    capsys.readouterr()
    main(["validate", "--config", str(config), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    whole = {
        (Path(p["file"]).name, p["line"], p["field"], p["kind"])
        for p in report["problems"]
        if p["kind"] in KINDS
    }
    assert whole == built and len(built) >= 5
