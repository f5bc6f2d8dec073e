"""How long a build takes on hostile input, against the same build without it.

The tests check what hostile input gets (skipped, reported, every output whole); this measures
that none of it costs more than a moment: each case is a one-episode show plus the hostile file,
built in a new process, and its time is shown beside the build of the good episode alone.

    python benchmarks/bench_hostile.py
    python benchmarks/bench_hostile.py --repeat 9
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIG = """\
title: Hostile Show
description: A show built from hostile input.
site_url: https://example.org
feed_url: https://example.org/podcast/feed.xml
base_url: https://example.org/podcast
language: en
author: Example
owner_name: Owner
owner_email: owner@example.org
image: https://example.org/cover.jpg
categories: [Technology]
episodes_dir: episodes
people_dir: people
"""

GOOD = """\
---
title: A good episode
date: 2024-01-02
audio: {url: https://cdn.example.org/good.mp3, length: 12345, type: audio/mpeg}
transcript:
- line: Hello and welcome to the show.
  sec: 0
---
Notes.
"""

WORDS = " ".join(f"word{i}" for i in range(20_000))
LAUGHS = "---\n" + "\n".join(
    ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    + ["title: *a9", "---", ""]
)
ENTITIES = '<!ENTITY a0 "lollollollollollollollollollol">' + "".join(
    f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
)
HOST_FEED = (
    f'<?xml version="1.0"?><!DOCTYPE rss [{ENTITIES}]><rss version="2.0"><channel>'
    "<title>Host</title><item><title>&a9;</title><guid>g1</guid>"
    '<enclosure url="https://x.example/a.mp3" length="1" type="audio/mpeg"/></item>'
    "</channel></rss>"
)

#: case → episode files beside the good one (a size in bytes: a sparse file that large)
CASES: dict[str, dict[str, str | int]] = {
    "the good episode alone": {},
    "a 20,000-word transcript line": {
        "long.md": f"---\ntitle: Long line\ntranscript:\n- line: {WORDS}\n  sec: 0\n---\n"
    },
    "YAML nested 5,000 deep": {"deep.md": "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n"},
    "a YAML alias bomb": {"bomb.md": LAUGHS},
    "a 50 MB episode file": {"big.md": 50 * 1024 * 1024},
    "an XML entity bomb as the host feed": {"host.xml": HOST_FEED},
}


def make_show(root: Path, files: dict[str, str | int]) -> list[str]:
    """The show on disk; the build's arguments."""
    (root / "episodes").mkdir(parents=True)
    (root / "people").mkdir()
    (root / "podcast.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "episodes" / "good.md").write_text(GOOD, encoding="utf-8")
    argv = ["--config", str(root / "podcast.yaml"), "--out", str(root / "dist")]
    for name, content in files.items():
        if name.endswith(".xml"):
            (root / name).write_text(content if isinstance(content, str) else "", "utf-8")
            argv += ["--audio-feed", str(root / name)]
        elif isinstance(content, int):
            with open(root / "episodes" / name, "wb") as handle:
                handle.truncate(content)
        else:
            (root / "episodes" / name).write_text(content, encoding="utf-8")
    return argv


def build_seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "feedgen_pod", "build", "--quiet", "--no-cache", *argv],
        capture_output=True,
        timeout=600,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="feedgen-hostile-") as tmp:
        shows = {case: make_show(Path(tmp) / str(i), files) for i, (case, files) in
                 enumerate(CASES.items())}  # fmt: skip
        times: dict[str, list[float]] = {case: [] for case in CASES}
        for _ in range(args.repeat):  # interleaved rounds: a busy moment hits every case
            for case, argv in shows.items():
                times[case].append(build_seconds(argv))
    base = statistics.median(times["the good episode alone"])
    print("| build of one good episode and … | seconds | ÷ the good episode alone |")
    print("|---|---:|---:|")
    for case, seconds in times.items():
        median = statistics.median(seconds)
        print(f"| {case} | {median:.2f} | {median / base:.1f}× |")


if __name__ == "__main__":
    main()
