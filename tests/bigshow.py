"""A show made up for tests that need many episode files (16 or more are built by worker
processes): the fixture show's config and people, and generated episodes that each carry their
own audio, guests, sections and a transcript."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "show"


def make_show(root: Path, episodes: int, lines: int = 12) -> Path:
    """``episodes`` episode files under ``root``, each transcript ``lines`` lines long in
    three sections; returns the config's path."""
    (root / "config").mkdir(parents=True)
    shutil.copytree(FIXTURE / "people", root / "people")
    config = (FIXTURE / "config" / "podcast.yaml").read_text(encoding="utf-8")
    config = "".join(
        line for line in config.splitlines(keepends=True) if not line.startswith("audio_feed:")
    )
    (root / "config" / "podcast.yaml").write_text(config, encoding="utf-8")
    folder = root / "episodes"
    folder.mkdir()
    for number in range(1, episodes + 1):
        (folder / f"s01e{number:03d}-episode-{number}.md").write_text(
            _episode(number, lines), encoding="utf-8"
        )
    return root / "config" / "podcast.yaml"


def _episode(number: int, lines: int) -> str:
    day = date(2024, 1, 1) + timedelta(days=7 * number)
    rows = []
    for i in range(lines):
        if i % max(1, lines // 3) == 0:
            rows.append(f"- header: Part {i // max(1, lines // 3) + 1} of episode {number}\n")
        who = "Host" if i % 2 == 0 else "Guest"
        rows.append(
            f"- line: Line {i} of episode {number}, where we talk about feeds and their tags.\n"
            f"  sec: {i * 15}\n  who: {who}\n"
        )
    return (
        f'---\ntitle: "Episode {number}: feeds, tags & chapters"\nseason: 1\n'
        f"episode: {number}\nguests:\n- guest\ndateadded: {day.isoformat()}\n"
        f"duration: PT{lines * 15 + 60}S\n"
        f"audio:\n  url: https://media.example.org/e{number}.mp3\n  length: {1000 + number}\n"
        f"  type: audio/mpeg\ntranscript:\n{''.join(rows)}---\nNotes of episode {number}.\n"
    )
