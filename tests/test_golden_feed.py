"""Golden file: the feed of a small fixture show, byte for byte.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 python -m pytest
tests/test_golden_feed.py`` and review the diff of ``tests/golden/feed.xml``.
"""

from __future__ import annotations

import os
from pathlib import Path

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.config import load_config

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "show"
GOLDEN = HERE / "golden" / "feed.xml"


def test_fixture_show_feed_matches_golden(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    show, _ = load_config(FIXTURE / "config" / "podcast.yaml")
    report = build(show, BuildOptions(out=tmp_path))
    # the one error is the episode the host feed lacks, left out of the feed on purpose
    assert [(p.path, p.kind) for p in report.errors] == [
        ("tests/fixtures/show/episodes/s01e03-no-audio.md", "episode-left-out")
    ], [str(p) for p in report.errors]
    actual = (tmp_path / "feed.xml").read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(actual)
    assert actual == GOLDEN.read_bytes(), "feed changed: rerun with UPDATE_GOLDEN=1 and review"


def test_fixture_show_reports_what_the_golden_feed_leaves_out(tmp_path: Path) -> None:
    show, _ = load_config(FIXTURE / "config" / "podcast.yaml")
    messages = [str(p) for p in build(show, BuildOptions(out=tmp_path)).problems]
    assert any("host-feed.xml:13:" in m and "matches no episode file" in m for m in messages)
    assert any("s01e03-no-audio.md" in m and "no audio" in m for m in messages)
    assert any("s01e02-second.md:5:" in m and "'nobody'" in m for m in messages)
