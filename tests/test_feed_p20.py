"""The Podcasting 2.0 tags from episodes: podcast:trailer, an item's podcast:license and
podcast:liveItem, plus the channel tags from the config, read back by Podcast Index's
partytime, feedparser and podcastparser.

Golden files: one per tag in ``tests/golden/p20/``, cut from the feed of
``tests/fixtures/p20show``; regenerate after an intended change with ``UPDATE_GOLDEN=1 python
-m pytest tests/test_feed_p20.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import podcastparser
import pytest
from conftest import ROOT
from lxml import etree

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.build import run as build_run
from feedgen_pod.config import load_config
from feedgen_pod.errors import ConfigError
from feedgen_pod.model import LiveStream

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "p20show"
GOLDEN = HERE / "golden" / "p20"
NS = {
    "podcast": "https://podcastindex.org/namespace/1.0",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
}
#: 2024-03-15 18:00 UTC: the fixture's live stream (17:00-18:30 UTC) is running
DURING = "1710525600"
LIVE_GUID = "0b5a92ab-40cc-56ee-802b-6841427ab299"


def build_show(root: Path, out: Path, epoch: str | None = DURING, **options):
    with pytest.MonkeyPatch.context() as patch:
        if epoch is None:
            patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            patch.setenv("SOURCE_DATE_EPOCH", epoch)
        show, _ = load_config(root / "config" / "podcast.yaml")
        return build(show, BuildOptions(out=out, **options))


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    out = tmp_path_factory.mktemp("p20") / "dist"
    report = build_show(FIXTURE, out)
    assert not report.problems, [str(p) for p in report.problems]
    return out / "feed.xml", (out / "feed.xml").read_bytes()


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "show"
    shutil.copytree(FIXTURE, root)
    return root


def channel_of(data: bytes) -> etree._Element:
    return etree.fromstring(data).find("channel")


def live_status(out: Path) -> list[str]:
    channel = channel_of((out / "feed.xml").read_bytes())
    return [e.get("status") for e in channel.findall("podcast:liveItem", NS)]


# --- golden files, one per tag ---------------------------------------------------------------

#: golden file → where the tag is in the feed
TAGS = {
    "funding": "channel/podcast:funding",
    "txt": "channel/podcast:txt",
    "updateFrequency": "channel/podcast:updateFrequency",
    "license": "channel/podcast:license",
    "trailer": "channel/podcast:trailer",
    "liveItem": "channel/podcast:liveItem",
    "item-license": "channel/item/podcast:license",
    "item-episodeType": "channel/item/itunes:episodeType",
}


@pytest.mark.parametrize("name", sorted(TAGS))
def test_each_tag_matches_its_golden_file(feed, name: str) -> None:
    found = etree.fromstring(feed[1]).xpath(TAGS[name], namespaces=NS)
    assert found, f"no {TAGS[name]} in the feed"
    # each tag as the feed has it, without the namespace declarations lxml adds to a cut-out
    cut = (etree.tostring(e, with_tail=False) for e in found)
    actual = b"\n".join(re.sub(rb' xmlns:\w+="[^"]*"', b"", tag) for tag in cut) + b"\n"
    golden = GOLDEN / f"{name}.xml"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(actual)
    assert actual == golden.read_bytes(), f"{name} changed: rerun with UPDATE_GOLDEN=1, review"


def test_tags_sit_where_apps_look(feed) -> None:
    channel = channel_of(feed[1])
    names = [etree.QName(e).localname for e in channel]
    # channel tags, then the live items, then the items
    assert names.index("trailer") < names.index("liveItem") < names.index("item")
    items = channel.findall("item")
    assert [i.findtext("itunes:episodeType", namespaces=NS) for i in items] == ["full", "trailer"]
    # the licensed item overrides the show's license; the other carries none of its own
    assert [i.find("podcast:license", NS) is not None for i in items] == [True, False]


# --- real consumers -------------------------------------------------------------------------


def partytime(path: Path) -> dict:
    script = ROOT / "tests" / "js" / "read_feed.js"
    if not shutil.which("node") or not (script.parent / "node_modules/podcast-partytime").is_dir():
        pytest.skip(
            "node and tests/js/node_modules/podcast-partytime are needed (cd tests/js && npm ci)"
        )
    run = subprocess.run(
        ["node", str(script), str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(run.stdout)


def test_partytime_reads_every_tag_back(feed) -> None:
    parsed = partytime(feed[0])
    assert parsed["funding"] == [
        {"message": "Support the show", "url": "https://example.org/support"}
    ]
    assert parsed["txt"] == [{"value": "abc-123", "purpose": "applepodcastsverify"}]
    assert parsed["license"]["identifier"] == "CC-BY-4.0"
    (trailer,) = parsed["trailers"]
    assert trailer == {
        "title": "Coming soon: P20 Cast",
        "url": "https://media.example.org/trailer.mp3",
        "pubdate": "2024-03-01T12:00:00.000Z",
        "type": "audio/mpeg",
        "length": 123456,
        "season": 1,
    }
    (live,) = parsed["liveItems"]
    assert (live["status"], live["start"], live["end"]) == (
        "live",
        "2024-03-15T17:00:00.000Z",
        "2024-03-15T18:30:00.000Z",
    )
    assert live["guid"] == LIVE_GUID and live["title"] == "Live from the studio"
    assert live["enclosure"] == {
        "url": "https://stream.example.org/live.mp3",
        "length": 0,
        "type": "audio/mpeg",
    }
    assert live["contentLinks"] == [
        {"title": "Watch live", "url": "https://www.youtube.com/live/BBBBBBBBBBB"}
    ]
    items = {i["title"]: i for i in parsed["items"]}
    assert set(items) == {"A licensed episode", "Coming soon: P20 Cast"}  # no item for the live
    assert items["A licensed episode"]["license"] == {
        "identifier": "my-podcast-license-v1",
        "url": "https://example.org/license.html",
    }
    assert items["Coming soon: P20 Cast"]["episodeType"] == "trailer"


def test_feedparser_and_podcastparser_still_read_the_feed(feed) -> None:
    parsed = feedparser.parse(feed[1])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == ["A licensed episode", "Coming soon: P20 Cast"]
    assert parsed.entries[1].itunes_episodetype == "trailer"
    podcast = podcastparser.parse("https://example.org/podcast/feed.xml", io.BytesIO(feed[1]))
    assert [e["title"] for e in podcast["episodes"]] == [
        "A licensed episode",
        "Coming soon: P20 Cast",
    ]


# --- live items -----------------------------------------------------------------------------


def test_live_status_follows_the_build_time(tmp_path: Path) -> None:
    start = datetime(2024, 3, 15, 17, tzinfo=timezone.utc)
    stream = LiveStream(start, start + timedelta(hours=1), "https://s.example/a", "audio/mpeg")
    assert stream.status(start - timedelta(seconds=1)) == "pending"
    assert stream.status(start) == "live"
    assert stream.status(start + timedelta(hours=1)) == "ended"
    assert stream.status(None) == "pending"
    assert (
        LiveStream(start, None, "https://s.example/a", "audio/mpeg").status(
            start + timedelta(days=9)
        )
        == "live"
    )
    for epoch, status in (("1710518400", "pending"), (DURING, "live"), ("1710532800", "ended")):
        out = tmp_path / epoch / "dist"
        build_show(FIXTURE, out, epoch, use_cache=False)
        assert live_status(out) == [status]


def test_a_cached_feed_is_rendered_again_when_only_the_clock_moves(
    tmp_path: Path, monkeypatch
) -> None:
    """Without SOURCE_DATE_EPOCH the status is judged at the build's start: a rebuild with no
    input changed still gives the new status."""
    root = copy_fixture(tmp_path)
    out = root / "dist"
    first = build_show(root, out, None)
    assert first.built == 3 and live_status(out) == ["ended"]  # 2024 is past

    class Before(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2024, 3, 15, 12, tzinfo=timezone.utc)

    monkeypatch.setattr(build_run, "datetime", Before)
    again = build_show(root, out, None)
    assert again.reused == 3 and again.built == 0
    assert live_status(out) == ["pending"]


def write_episode(root: Path, name: str, front: str) -> Path:
    path = root / "episodes" / name
    path.write_text(f"---\n{front}---\n", encoding="utf-8")
    return path


AUDIO = "audio: {url: https://m.example/x.mp3, length: 10, type: audio/mpeg}\n"
LIVE = (
    "live:\n"
    "  start: 2024-03-15T18:00:00Z\n"
    "  stream: https://stream.example.org/x.mp3\n"
    "  type: audio/mpeg\n"
)


def test_a_live_episode_with_audio_is_a_regular_item_with_the_same_guid(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    live_file = root / "episodes" / "s01e02-live.md"
    text = live_file.read_text(encoding="utf-8")
    live_file.write_text(text.replace("live:\n", AUDIO + "dateadded: 2024-03-16\nlive:\n"))
    report = build_show(root, root / "dist")
    assert not report.problems, [str(p) for p in report.problems]
    channel = channel_of((root / "dist" / "feed.xml").read_bytes())
    assert channel.find("podcast:liveItem", NS) is None
    guids = {i.findtext("title"): i.findtext("guid") for i in channel.iter("item")}
    assert guids["Live from the studio"] == LIVE_GUID  # the one its live item had


def problems_of(root: Path) -> list:
    return build_show(root, root / "dist", use_cache=False).problems


def test_a_live_episode_without_audio_is_not_reported_as_missing_audio(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    write_episode(root, "later.md", "title: Later\n" + LIVE)
    assert problems_of(root) == []
    assert live_status(root / "dist") == ["live", "live"]  # no end: live until its audio is out


@pytest.mark.parametrize(
    ("live", "field", "kind", "words"),
    [
        (
            LIVE.replace("  stream: https://stream.example.org/x.mp3\n", ""),
            "live",
            "live-no-stream",
            "no 'stream'",
        ),
        (
            LIVE.replace("2024-03-15T18:00:00Z", "next tuesday"),
            "live.start",
            "live-invalid",
            "'next tuesday'",
        ),
        (
            LIVE.replace("2024-03-15T18:00:00Z", "2024-03-15 18:00:00"),
            "live.start",
            "live-invalid",
            "has no timezone",
        ),
        (
            LIVE.replace("2024-03-15T18:00:00Z", "2024-03-15"),
            "live.start",
            "live-invalid",
            "expected a date and time",
        ),
        (LIVE + "  end: 2024-03-15T17:00:00Z\n", "live.end", "live-invalid", "not after the start"),
        (LIVE.replace("  type: audio/mpeg\n", ""), "live.type", "live-invalid", "media type"),
        (
            LIVE.replace("https://stream", "rtmp://stream"),
            "live.stream",
            "live-invalid",
            "http(s) URL",
        ),
        (LIVE + "  url: youtube\n", "live.url", "live-invalid", "http(s) URL"),
    ],
)
def test_a_bad_live_block_is_an_error_at_its_line_and_left_out(
    tmp_path: Path, live: str, field: str, kind: str, words: str
) -> None:
    root = copy_fixture(tmp_path)
    write_episode(root, "bad.md", "title: Bad\n" + live)
    problems = [p for p in problems_of(root) if p.path.endswith("bad.md")]
    # reported once, at the part; and, without audio, as an episode left out of the feed
    (first,) = [p for p in problems if (p.field or "").startswith("live")]
    assert first.kind == kind
    assert [p.field for p in problems if p is not first] == ["audio"]
    assert first.is_error and first.field == field and words in first.message
    # the part's own line; a missing part is reported at the live: line
    lines = ["---", "title: Bad", *live.splitlines()]
    keys = [ln.strip().partition(":")[0] for ln in lines]
    part = field.rpartition(".")[2]
    expected = keys.index(part) + 1 if part in keys[3:] else keys.index("live") + 1
    assert first.line == expected
    assert "left out of feed.xml" in first.message
    # the only live item is the fixture's; the bad one has no item either (no audio)
    assert live_status(root / "dist") == ["live"]
    titles = [
        i.findtext("title") for i in channel_of((root / "dist/feed.xml").read_bytes()).iter("item")
    ]
    assert "Bad" not in titles


# --- trailers -------------------------------------------------------------------------------


def test_a_trailer_without_a_date_gets_no_channel_tag(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    trailer = root / "episodes" / "s01e00-trailer.md"
    trailer.write_text(trailer.read_text().replace("dateadded: 2024-03-01\n", ""))
    problems = problems_of(root)
    assert [p.kind for p in problems if p.kind.startswith("trailer")] == ["trailer-no-date"]
    assert problems[-1].line == 4 and problems[-1].field == "episodeType"
    assert channel_of((root / "dist/feed.xml").read_bytes()).find("podcast:trailer", NS) is None


def test_a_long_trailer_title_is_reported_and_kept(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    trailer = root / "episodes" / "s01e00-trailer.md"
    title = "T" * 130
    trailer.write_text(trailer.read_text().replace('"Coming soon: P20 Cast"', title))
    (problem,) = problems_of(root)
    assert (problem.kind, problem.line, problem.is_error) == ("trailer-title-too-long", 2, False)
    tag = channel_of((root / "dist/feed.xml").read_bytes()).find("podcast:trailer", NS)
    assert tag.text == title


def test_a_wrong_episode_type_or_license_is_reported(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    write_episode(root, "odd.md", "title: Odd\nepisodeType: teaser\nlicense: 'not spdx'\n" + AUDIO)
    write_episode(
        root,
        "long.md",
        "title: Long\nlicense: {name: " + "x" * 129 + ", url: https://e.org}\n" + AUDIO,
    )
    problems = {(p.path.rsplit("/", 1)[-1], p.field, p.line, p.kind) for p in problems_of(root)}
    assert ("odd.md", "episodeType", 3, "field-invalid") in problems
    assert ("odd.md", "license", 4, "field-invalid") in problems
    assert ("long.md", "license", 3, "license-too-long") in problems
    items = {
        i.findtext("title"): i
        for i in channel_of((root / "dist/feed.xml").read_bytes()).iter("item")
    }
    assert items["Odd"].findtext("itunes:episodeType", namespaces=NS) == "full"
    assert items["Odd"].find("podcast:license", NS) is None


# --- the config's texts and their limits ----------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        ("funding: [{url: https://e.org, text: " + "x" * 129 + "}]", "funding-text-too-long"),
        ("txt: [{purpose: " + "p" * 129 + ", text: x}]", "txt-purpose-too-long"),
        ("txt: [{purpose: verify, text: " + "x" * 4001 + "}]", "txt-text-too-long"),
        (
            "update_frequency: {rrule: FREQ=DAILY, text: " + "x" * 129 + "}",
            "update-frequency-text-too-long",
        ),
        ("license: " + "X" * 129, "license-too-long"),
        ("license: {name: " + "x" * 129 + ", url: https://e.org/l}", "license-too-long"),
    ],
)
def test_config_text_over_its_limit_is_a_config_problem_with_a_kind(
    tmp_path: Path, extra: str, kind: str
) -> None:
    base = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    config = tmp_path / "podcast.yaml"
    config.write_text(base + extra + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    problem = caught.value.problem
    assert problem is not None and problem.kind == kind
    assert problem.line == len(base.splitlines()) + 1 and "Podcasting 2.0 limit" in problem.message


def test_config_text_at_its_limit_is_kept(tmp_path: Path) -> None:
    base = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    config = tmp_path / "podcast.yaml"
    extra = (
        "funding: [{url: https://e.org, text: " + "x" * 128 + "}]\n"
        "txt: [{purpose: " + "p" * 128 + ", text: " + "x" * 4000 + "}]\n"
    )
    config.write_text(base + extra, encoding="utf-8")
    show, _ = load_config(config)
    assert show.feed.funding[0][1] == "x" * 128 and len(show.feed.txt[0][1]) == 4000
