"""The README's benchmark table: each limit the tool keeps, measured in one run.

Runs the build benchmark on a 200-episode show (``bench_build.py``, medians of ``--repeat``
interleaved rounds) and the link-check benchmark (``bench_links.py``, 2,000 links over twenty
loopback hosts), then prints one Markdown table: what was measured, this run's value, the limit
and whether it holds. Every figure is a ratio to a baseline taken in the same run, or a time
that users wait for.

    python benchmarks/bench_all.py
    python benchmarks/bench_all.py --repeat 9 --corpus ../shared/corpus
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import bench_build

HERE = Path(__file__).resolve().parent
EPISODES = 200
LINKS = 2000


def build_rows(corpus: Path, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="feedgen-bench-") as tmp:
        env = bench_build.snapshot_package(Path(tmp))
        return bench_build.bench(corpus, EPISODES, Path(tmp), env, serial=False, repeat=repeat)


def link_times(repeat: int) -> tuple[float, float, float | None]:
    """The politeness floor, check-links' time and lychee's with its defaults (None when
    lychee is not installed), in seconds."""
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_links.py"), "--links", str(LINKS),
         "--repeat", str(repeat), "--skip", "linkchecker"],
        capture_output=True, text=True, check=True, timeout=1800,
    ).stdout  # fmt: skip
    times = {
        match.group(1): float(match.group(2))
        for match in re.finditer(r"^\| ([^|]+?) \| ([0-9.]+) s", out, re.M)
    }
    return times["floor"], times["feedgen-pod check-links"], times.get("lychee, its defaults")


def row(measure: str, value: str, limit: str, held: bool | None) -> str:
    verdict = "not measured" if held is None else ("holds" if held else "**fails**")
    return f"| {measure} | {value} | {limit} | {verdict} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=bench_build.DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    build = build_rows(args.corpus, args.repeat)
    floor, ours, lychee_seconds = link_times(args.repeat)
    over_floor = ours / floor
    lychee = lychee_seconds / ours if lychee_seconds else None
    cold = build["cold"] / build["floor"]
    rows = [
        (
            "cold build ÷ bare libyaml parse of the same files",
            f"{cold:.2f}× ({build['cold']:.2f} s ÷ {build['floor']:.2f} s)",
            "≤ 2.5×",
            cold <= 2.5,
        ),
        (
            "one episode changed, rebuilt in a new process",
            f"{build['one']:.2f} s",
            "< 0.5 s",
            build["one"] < 0.5,
        ),
        (
            "nothing changed, rebuilt in a new process",
            f"{build['same']:.2f} s",
            "< 0.3 s",
            build["same"] < 0.3,
        ),
        ("peak memory, cold build", f"{build['cold_mb']:.0f} MB", "", None),
        (
            "check-links ÷ politeness floor",
            f"{over_floor:.2f}× ({ours:.2f} s ÷ {floor:.2f} s)",
            "≤ 1.2×",
            over_floor <= 1.2,
        ),
        (
            "lychee (its defaults) ÷ check-links",
            f"{lychee:.2f}×" if lychee else "lychee not installed",
            "> 1× (faster than lychee)",
            None if lychee is None else lychee > 1,
        ),
    ]
    print(f"| measure ({EPISODES}-episode show; {LINKS:,} links) | this run | limit | |")
    print("|---|---:|---|---|")
    for measure, value, limit, held in rows:
        print(row(measure, value, limit, held) if limit else f"| {measure} | {value} | | |")


if __name__ == "__main__":
    main()
