"""The manual's benchmark table: each limit the tool keeps, measured in one run.

Runs the build benchmark on a 200-episode show (``bench_build.py``, medians of ``--repeat``
interleaved rounds) and the link-check benchmark (``bench_links.py``, 2,000 links over twenty
loopback hosts), then prints one Markdown table: what was measured, this run's value, the limit
and whether it holds. Every figure is a ratio to a baseline taken in the same run, or a time
that users wait for. ``--write docs/benchmarks.md`` puts the table into that page, between its
``<!-- bench_all -->`` and ``<!-- /bench_all -->`` lines.

    python benchmarks/bench_all.py
    python benchmarks/bench_all.py --repeat 9 --corpus ../shared/corpus --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import os
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


#: the lines of a page between which ``--write`` puts the table
START, END = "<!-- bench_all -->", "<!-- /bench_all -->"


def table(build: dict[str, float], floor: float, ours: float, lychee_seconds: float | None) -> str:
    """The Markdown table of one run's measures against the limits."""
    over_floor = ours / floor
    lychee = lychee_seconds / ours if lychee_seconds else None
    cold = build["cold"] / build["floor"]
    same = build["same"] / build["cold"]
    rows = [
        (
            "cold build ÷ bare libyaml parse of the same files",
            f"{cold:.2f}× ({build['cold']:.2f} s ÷ {build['floor']:.2f} s)",
            "≤ 3.5×",
            cold <= 3.5,
        ),
        (
            "one episode changed, rebuilt in a new process",
            f"{build['one']:.2f} s",
            "< 0.5 s",
            build["one"] < 0.5,
        ),
        (
            "nothing changed, rebuilt in a new process ÷ cold build",
            f"{same:.0%} ({build['same']:.2f} s ÷ {build['cold']:.2f} s)",
            "< 15%",
            same < 0.15,
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
    lines = [
        f"| measure ({EPISODES}-episode show; {LINKS:,} links) | this run | limit | |",
        "|---|---:|---|---|",
    ]
    for measure, value, limit, held in rows:
        lines.append(row(measure, value, limit, held) if limit else f"| {measure} | {value} | | |")
    return "\n".join(lines) + "\n"


def write(page: Path, text: str) -> None:
    """Replace what stands between the page's START and END lines with ``text``."""
    before, rest = page.read_text(encoding="utf-8").split(START + "\n", 1)
    _, after = rest.split(END, 1)
    page.write_text(f"{before}{START}\n{text}{END}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=bench_build.DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", type=Path, metavar="PAGE", help="put the table into PAGE")
    args = parser.parse_args()
    build = build_rows(args.corpus, args.repeat)
    text = table(build, *link_times(args.repeat))
    cores = os.cpu_count() or 1
    note = f"Medians of {args.repeat} interleaved rounds on a {cores}-core machine.\n"
    print(text + "\n" + note, end="")
    if args.write:
        write(args.write, text + "\n" + note)


if __name__ == "__main__":
    main()
