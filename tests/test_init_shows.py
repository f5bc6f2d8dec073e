"""The migration promise, on real shows: in a copy of each site of ``../shared/shows/`` that has
a reference feed (the one its own generator built), ``feedgen-pod init`` then ``feedgen-pod
build`` with no edit and no argument give a feed that holds every reference item with the same
guid and audio, that ``feedgen-pod diff`` finds no break in, and that podcastparser and
feedparser read. The site's own files are left byte for byte as they were."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import stat
from collections import Counter
from pathlib import Path

import feedparser
import podcastparser
import pytest
from conftest import SHARED

from feedgen_pod import cli

SHOWS = SHARED / "shows"
WITH_FEED = sorted(p.parent.name for p in SHOWS.glob("*/reference-feed.xml"))
#: the config init writes in the site's root
CONFIG = "feedgen-pod.yaml"

pytestmark = pytest.mark.skipif(
    not WITH_FEED, reason="../shared/shows is absent (CI always has it)"
)


def _copy_site(show: str, tmp_path: Path) -> Path:
    """The show's site in a writable folder of its own."""
    site = tmp_path / "site"
    shutil.copytree(SHOWS / show / "site", site)
    for path in [site, *site.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return site


def _digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module", params=WITH_FEED)
def built(request, tmp_path_factory) -> tuple[str, Path, dict[str, str], int, list[dict]]:
    """init then build in a copy of the show's site, with no argument but the report's form:
    (show, site, files before, the build's exit code, its problems)."""
    show = request.param
    site = _copy_site(show, tmp_path_factory.mktemp(show))
    before = _digests(site)
    monkey = pytest.MonkeyPatch()
    monkey.chdir(site)
    report = io.StringIO()
    try:
        assert cli.main(["init"]) == 0
        with contextlib.redirect_stdout(report):
            code = cli.main(["build", "--format", "json"])
    finally:
        monkey.undo()
    assert (site / CONFIG).is_file()
    return show, site, before, code, json.loads(report.getvalue())["problems"]


def _reference(show: str) -> feedparser.FeedParserDict:
    return feedparser.parse((SHOWS / show / "reference-feed.xml").read_bytes())


def _shared_in_reference(show: str) -> set[str]:
    """The error kinds the reference feed itself earns: items sharing a guid or an audio URL
    (the Castanet example gives all its episodes one file)."""
    entries = _reference(show).entries
    kinds = set()
    guids = Counter(e.get("id") for e in entries)
    audio = Counter(x.get("href") for e in entries for x in e.get("enclosures", [])[:1])
    if any(n > 1 for n in guids.values()):
        kinds.add("apple-duplicate-guid")
    if any(n > 1 for n in audio.values()):
        kinds.add("apple-duplicate-enclosure")
    return kinds


def test_build_succeeds_with_the_written_config(built):
    show, site, _, code, problems = built
    errors = Counter(p["kind"] for p in problems if p["severity"] == "error")
    unexpected = {k: n for k, n in errors.items() if k not in _shared_in_reference(show)}
    assert not unexpected, f"{show}: the build's errors: {unexpected}"
    assert code == (1 if errors else 0)
    assert (site / "dist" / "feed.xml").is_file()


def test_init_and_build_leave_the_site_files_as_they_were(built):
    _, site, before, _, _ = built
    after = _digests(site)
    assert {k: after.get(k) for k in before} == before


def test_every_reference_item_is_there_with_its_audio(built):
    show, site, _, _, _ = built
    ours = feedparser.parse((site / "dist" / "feed.xml").read_bytes())
    assert not ours.bozo, ours.get("bozo_exception")
    audio = {e.get("id"): [x.get("href") for x in e.get("enclosures", [])] for e in ours.entries}
    missing, wrong = [], []
    for entry in _reference(show).entries:
        guid = entry.get("id")
        want = [x.get("href") for x in entry.get("enclosures", [])]
        if guid not in audio:
            missing.append(guid)
        elif not audio[guid] or audio[guid][:1] != want[:1]:
            wrong.append((guid, want[:1], audio[guid][:1]))
    assert not missing, f"{show}: {len(missing)} reference items missing, e.g. {missing[:3]}"
    assert not wrong, f"{show}: items with other audio, e.g. {wrong[:3]}"


def test_diff_against_the_reference_finds_no_break(built, capsys):
    show, site, _, _, _ = built
    capsys.readouterr()
    reference = str(SHOWS / show / "reference-feed.xml")
    code = cli.main(["diff", reference, str(site / "dist" / "feed.xml")])
    report = capsys.readouterr().out
    assert code == 0, f"{show}: feedgen-pod diff found a break:\n{report[-3000:]}"


def test_podcastparser_reads_every_episode(built):
    show, site, _, _, _ = built
    with (site / "dist" / "feed.xml").open("rb") as feed:
        parsed = podcastparser.parse("https://example.com/feed.xml", feed)
    guids = {e["guid"] for e in parsed["episodes"]}
    reference = {e.get("id") for e in _reference(show).entries}
    assert reference <= guids
    assert all(e["enclosures"] for e in parsed["episodes"])


WITHOUT_FEED = sorted(
    p.name for p in SHOWS.glob("*") if (p / "site").is_dir() and p.name not in WITH_FEED
)


@pytest.mark.parametrize("show", WITHOUT_FEED)
def test_a_show_without_reference_feed_gets_an_item_per_episode_file(show, tmp_path, monkeypatch):
    site = _copy_site(show, tmp_path)
    monkeypatch.chdir(site)
    assert cli.main(["init"]) == 0
    assert cli.main(["build", "--quiet"]) == 0
    config = (site / CONFIG).read_text(encoding="utf-8")
    folder = next(
        line.split(": ", 1)[1] for line in config.splitlines() if line.startswith("episodes_dir: ")
    )
    files = [p for p in (site / folder).rglob("*.md")]
    ours = feedparser.parse((site / "dist" / "feed.xml").read_bytes())
    assert len(ours.entries) == len(files) > 0
    assert all(e.get("enclosures") for e in ours.entries)
