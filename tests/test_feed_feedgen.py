"""The feed is feedgen's: the channel and every item written through its public API. An item
rendered alone (where its episode is built) is byte for byte the item feedgen writes in the
whole feed, and nothing in the bytes comes from the clock or the locale."""

from __future__ import annotations

import ast
import io
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import feedparser
import podcastparser
import pytest
from conftest import CORPUS, ROOT
from test_feed import SHOW, make_episode
from test_feed_p20 import partytime

from feedgen_pod.config import load_config
from feedgen_pod.derive.episode import enrich
from feedgen_pod.errors import display_path
from feedgen_pod.formats import rss
from feedgen_pod.formats.channel_extras import channel_extras
from feedgen_pod.load.audio import AudioResolver
from feedgen_pod.load.audio_match import AudioClaim
from feedgen_pod.load.show import discover, load_episodes
from feedgen_pod.model import Episode, Show

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "show"
P20 = HERE / "fixtures" / "p20show"
GOLDEN = HERE / "golden" / "feed.xml"
#: the p20 fixture's live stream runs at this time (2024-03-15 18:00 UTC)
DURING = datetime(2024, 3, 15, 18, 0, tzinfo=timezone.utc)


def loaded(show: Show) -> tuple[Show, list[Episode]]:
    """Every episode of ``show`` as a build renders it: loaded, with its audio, enriched."""
    sources = discover(show)
    problems = list(sources.problems)
    audio = AudioResolver(sources.show, sources.show.audio_feed, problems)
    episodes = list(load_episodes(sources, problems))
    audio.assign([AudioClaim.of(e, display_path(e.source)) for e in episodes])
    ready = [enrich(sources.show, audio.attach(e), problems) for e in episodes]
    audio.finish()
    ready.sort(key=lambda e: (e.pub_date is not None, e.pub_date, e.slug), reverse=True)
    return sources.show, ready


def fixture(root: Path, **changes: object) -> tuple[Show, list[Episode]]:
    show, _ = load_config(root / "config" / "podcast.yaml")
    return loaded(replace(show, **changes))


def corpus() -> tuple[Show, list[Episode]]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (CI always has it)")
    show, _ = load_config(ROOT / "config" / "podcast.yaml")
    dirs = {"episodes_dir": CORPUS / "episodes", "people_dir": CORPUS / "people"}
    return loaded(replace(show, **dirs))


SHOWS = {
    "fixture": lambda: fixture(FIXTURE),
    "p20": lambda: fixture(P20, build_time=DURING, live_now=DURING),
    "corpus": corpus,
}


def whole_feed_by_feedgen(show: Show, episodes: list[Episode]) -> bytes:
    """The feed as feedgen writes it in one go: every item added to the generator."""
    extras, _ = channel_extras(episodes)
    fg = rss.feed_generator(show, rss.build_date(show, episodes), extras)
    for episode in episodes:
        if episode.audio is not None:
            fg.add_entry(rss.feed_entry(show, episode)[0], order="append")
    return fg.rss_str(pretty=True)


@pytest.mark.parametrize("name", sorted(SHOWS))
def test_items_rendered_alone_make_the_feed_feedgen_writes_whole(name: str) -> None:
    show, episodes = SHOWS[name]()
    assert any(e.audio for e in episodes)
    feed, _ = rss.feed_xml(show, episodes)
    assert feed == whole_feed_by_feedgen(show, episodes)
    alone = [rss.item_xml(show, e)[0] for e in episodes if e.audio is not None]
    start = feed.index(b"    <item>")
    assert feed[start : start + sum(map(len, alone))] == b"".join(alone)


def test_the_fixture_items_are_the_golden_feeds() -> None:
    show, episodes = fixture(FIXTURE)
    golden = GOLDEN.read_bytes()
    items = [rss.item_xml(show, e)[0] for e in episodes if e.audio is not None]
    assert len(items) == golden.count(b"<item>") == 2
    assert all(item in golden for item in items)


def test_the_live_item_is_written_by_feedgen_as_an_item() -> None:
    show, episodes = fixture(P20, build_time=DURING, live_now=DURING)
    feed, _ = rss.feed_xml(show, episodes)
    (live,) = [e for e in episodes if e.live is not None and e.audio is None]
    as_item = rss.item_bytes(rss.live_item(show, live))
    assert as_item.startswith(b'    <podcast:liveItem status="live" start="2024-03-15T18:00')
    assert as_item in feed


def _localedef(tmp_path: Path) -> Path:
    """German compiled into ``tmp_path`` (``LOCPATH``): its day and month names differ from
    RFC 2822's English ones."""
    sources = Path("/usr/share/i18n/locales/de_DE")
    if not shutil.which("localedef") or not sources.is_file():
        pytest.skip("localedef and the de_DE locale source (Debian's locales) are needed")
    target = tmp_path / "locales"
    target.mkdir()
    made = subprocess.run(
        ["localedef", "-i", "de_DE", "-f", "UTF-8", str(target / "de_DE.UTF-8")],
        capture_output=True,
        timeout=120,
    )
    if not (target / "de_DE.UTF-8").is_dir():
        pytest.skip(f"localedef could not compile de_DE: {made.stderr.decode()[-200:]}")
    return target


PROGRAM = """
import locale, sys
locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
from feedgen_pod.cli import main
code = main(["build", "--config", sys.argv[1], "--out", sys.argv[2], "--quiet", "--no-cache"])
print(locale.setlocale(locale.LC_TIME))
"""


def test_dates_are_rfc2822_english_in_a_program_with_another_locale(tmp_path: Path) -> None:
    """feedgen writes dates with strftime in the C locale: a program that set German for
    itself gets the same feed, and its locale back."""
    env = {"PATH": "/usr/bin:/bin", "LOCPATH": str(_localedef(tmp_path)), "LC_ALL": "C"}
    out = tmp_path / "dist"
    config = FIXTURE / "config" / "podcast.yaml"
    ran = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(config), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
    )
    last = ran.stdout.decode().splitlines()[-1:]
    assert last == ["de_DE.UTF-8"], ran.stderr.decode()[-2000:]
    assert (out / "feed.xml").read_bytes() == GOLDEN.read_bytes()


def test_no_private_attribute_of_feedgen_is_used() -> None:
    """The feed modules reach feedgen only through public names (lxml's element class,
    ``etree._Element``, is its documented type)."""
    used = []
    for name in ("rss.py", "podcast_ext.py"):
        tree = ast.parse((ROOT / "feedgen_pod" / "formats" / name).read_text(encoding="utf-8"))
        used += [
            f"{name}:{node.lineno}: .{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and node.attr != "_Element"
        ]
        imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        used += [
            f"{name}:{n.lineno}: {n.module}.{alias.name}"
            for n in imports
            if (n.module or "").startswith("feedgen")
            for alias in n.names
            if alias.name.startswith("_")
        ]
    assert not used


def test_a_date_before_the_year_1000_is_reported_and_not_written(tmp_path: Path) -> None:
    """feedgen writes a year with the digits it has (``Sun, 11 Aug 86``), which readers take
    for 1986: such a date is a typo, reported, and the item has no pubDate. Every reader
    still has both items, and the other one's date."""
    early = make_episode("early", date(86, 8, 11))
    dated = make_episode("dated", date(2024, 1, 2))
    feed, problems = rss.feed_xml(SHOW, [dated, early])
    assert [(p.kind, p.path) for p in problems] == [("episode-date-too-early", "early.md")]
    assert "0086-08-11 is before the year 1000" in problems[0].message
    parsed = feedparser.parse(feed)
    assert [e.get("published_parsed") is None for e in parsed.entries] == [False, True]
    assert parsed.feed.updated_parsed[:3] == (2024, 1, 2)
    episodes = podcastparser.parse("https://example.org/feed.xml", io.BytesIO(feed))["episodes"]
    assert [e["title"] for e in episodes] == ["DATED", "EARLY"]
    assert [e["published"] for e in episodes] == [1704196800, 0]
    (tmp_path / "feed.xml").write_bytes(feed)
    items = partytime(tmp_path / "feed.xml")["items"]
    assert [(i["title"], i["pubDate"]) for i in items] == [
        ("DATED", "2024-01-02T12:00:00.000Z"),
        ("EARLY", None),
    ]
    alone, _ = rss.feed_xml(SHOW, [early])
    assert b"<lastBuildDate>" not in alone and b"<pubDate>" not in alone


def test_a_description_of_markup_only_gives_the_title() -> None:
    """feedgen needs a channel description; one that is only markup (no text) gives way to
    the show's title rather than stopping the build."""
    feed, _ = rss.feed_xml(replace(SHOW, description="<br>"), [])
    assert b"<description>T</description>" in feed
