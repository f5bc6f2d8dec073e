"""Build benchmark: cold, no-change and one-change builds of large shows, against a floor.

Shows of 200, 2,000 and 10,000 episodes are made by replicating the corpus episodes under new
file names, episode numbers and ids (each with an ``audio:`` block so every episode reaches the
feed). Each build runs in its own process (``python -m feedgen_pod build --quiet``); its wall
time, CPU time (with its worker processes) and peak resident memory (``wait4`` rusage: the
largest single process) are measured. The one-change rebuild is also measured in a resident
``build --watch`` process (three edits, the times its summary lines give). The cold build runs
twice: with the default workers (one per CPU) and in one process (``--jobs 1``;
``--no-serial`` skips it). The floor is the time to only read and parse the same episode files
with PyYAML's C loader, measured in the same run and also in a fresh process.

    python benchmarks/bench_build.py                  # 200 and 2000
    python benchmarks/bench_build.py --sizes 200 2000 10000 --corpus ../shared/corpus
"""

from __future__ import annotations

import argparse
import math
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

CONFIG = """\
title: Benchmark Show
description: A large show made of replicated corpus episodes.
site_url: https://example.org
feed_url: https://example.org/podcast/feed.xml
base_url: https://example.org/podcast
language: en
author: Bench
owner_name: Bench
owner_email: bench@example.org
image: https://example.org/cover.jpg
categories: [Technology]
hosts: [alexeygrigorev]
episodes_dir: episodes
people_dir: people
"""

FLOOR = """
import sys, time, yaml
from pathlib import Path
start = time.perf_counter()
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    text = path.read_bytes().decode("utf-8")
    end = text.find("\\n---\\n", 4)
    yaml.load(text[4:end], Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""


def make_show(corpus: Path, root: Path, size: int) -> Path:
    """``size`` episodes replicated from the corpus under new names, numbers and ids."""
    sources = [p for p in sorted((corpus / "episodes").glob("*.md")) if not p.name.startswith("_")]
    texts = [p.read_text(encoding="utf-8") for p in sources]
    (root / "episodes").mkdir(parents=True)
    shutil.copytree(corpus / "people", root / "people")
    (root / "podcast.yaml").write_text(CONFIG, encoding="utf-8")
    for i in range(size):
        k = i % len(sources)
        text = texts[k]
        season, number = 100 + i // 100, i % 100 + 1
        text = re.sub(r"(?m)^season:.*$", f"season: {season}", text, count=1)
        text = re.sub(r"(?m)^episode:.*$", f"episode: {number}", text, count=1)
        youtube = re.search(r"(?m)^  youtube: *['\"]?([A-Za-z0-9_-]{6,})", text)
        if youtube:
            text = text.replace(youtube.group(1), f"Y{i:010d}")
        text = re.sub(r"-e[0-9a-z]{4,9}(?=[\s/'\"])", f"-e{i:07x}", text)
        audio = (
            f"---\naudio:\n  url: https://example.org/audio/ep{i:05d}.mp3\n"
            f"  length: {10_000_000 + i}\n  type: audio/mpeg\n"
        )
        text = audio + text[4:] if text.startswith("---\n") else text
        (root / "episodes" / f"e{i:05d}-{sources[k].name}").write_text(text, encoding="utf-8")
    return root / "podcast.yaml"


def measure(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS in MB, CPU seconds (user + system) and stdout of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed with {proc.returncode}: {out}")
    cpu = usage.ru_utime + usage.ru_stime  # with the worker processes (waited for)
    return seconds, usage.ru_maxrss / 1024, cpu, out.strip()


def snapshot_package(work: Path) -> dict[str, str]:
    """A frozen copy of the tool to run, so edits to the source during a run (which rightly
    invalidate the build cache) do not disturb the measurements; byte-compiled, as ``pip
    install`` leaves a package (with ``PYTHONDONTWRITEBYTECODE`` set, as on this machine,
    every process would otherwise compile the whole tool again: ≈70 ms a build); returns
    the environment."""
    target = work / "pkg" / "feedgen_pod"
    shutil.copytree(ROOT / "feedgen_pod", target)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(target)], check=True, capture_output=True
    )
    return {**os.environ, "PYTHONPATH": str(work / "pkg")}


def bench(
    corpus: Path,
    size: int,
    work: Path,
    env: dict[str, str],
    serial: bool = True,
    repeat: int = 1,
) -> dict[str, float]:
    """One size: each measurement ``repeat`` times, interleaved (floor, cold, one process,
    then the rebuilds), and the median of each (peak memory: the largest)."""
    root = work / f"show-{size}"
    config = make_show(corpus, root, size)
    runs: dict[str, list[tuple[float, float, float]]] = {}

    def take(name: str, argv: list[str], env_: dict[str, str] | None) -> str:
        seconds, mb, cpu, out = measure(argv, root, env_)
        runs.setdefault(name, []).append((seconds, mb, cpu))
        return out

    build = [sys.executable, "-m", "feedgen_pod", "build", "--config", str(config), "--quiet"]
    floor_parse = []
    for r in range(repeat):
        out = take("floor", [sys.executable, "-c", FLOOR, str(root / "episodes")], None)
        floor_parse.append(float(out.splitlines()[-1]))
        # every cold build gets its own empty output and cache folders; all stay until the
        # whole run ends (see ``main``); the last one's output is the one rebuilt below
        out_dir, cache = root / f"dist-{r}", root / f"cache-{r}"
        cold = [*build[:-1], "--out", str(out_dir), "--cache-dir", str(cache), "--quiet"]
        take("cold", cold, env)
        if serial:  # the same cold build in one process (no workers), with no cache
            one_process = [*build[:-1], "--out", str(root / f"dist-1-{r}"), "--no-cache"]
            take("cold1", [*one_process, "--jobs", "1", "--quiet"], env)
    rebuild = [*build[:-1], "--out", str(out_dir), "--cache-dir", str(cache), "--quiet"]
    victim = sorted((root / "episodes").glob("*.md"))[size // 2]
    for _ in range(repeat):
        summary = take("same", rebuild, env)
        if "built 0 episodes" not in summary:
            print(f"warning: the no-change rebuild rebuilt episodes: {summary}", file=sys.stderr)
        victim.write_text(victim.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
        take("one", rebuild, env)
    row: dict[str, float] = {"size": size, "floor_parse": statistics.median(floor_parse)}
    row["watch"] = watching([*rebuild, "--watch", "--interval", "0.05"], root, env, victim, 3)
    for name in ("floor", "cold", "cold1", "same", "one"):
        taken = runs.get(name, [(math.nan, math.nan, math.nan)])
        row[name] = statistics.median(t[0] for t in taken)
        row[f"{name}_mb"] = max(t[1] for t in taken)
        row[f"{name}_cpu"] = statistics.median(t[2] for t in taken)
    return row


def watching(argv: list[str], cwd: Path, env: dict[str, str], victim: Path, edits: int) -> float:
    """The median time of ``edits`` one-change rebuilds in one resident ``build --watch``
    process, as its summary lines give them (the build alone: not the wait for the next look
    at the files). Every wait is bounded."""
    lines: queue.Queue[str] = queue.Queue()
    seconds = []
    with subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        assert proc.stdout is not None
        reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True)
        reader.start()
        try:
            lines.get(timeout=600)  # the first build: nothing changed since the last rebuild
            for _ in range(edits):
                victim.write_text(victim.read_text(encoding="utf-8") + "\nAnd one.\n", "utf-8")
                summary = lines.get(timeout=600)
                if "built 1 episode," not in summary:
                    print(f"warning: the watching rebuild built: {summary}", file=sys.stderr)
                seconds.append(float(re.search(r" in ([0-9.]+)s$", summary.strip()).group(1)))
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            finally:
                proc.kill()
                reader.join(timeout=60)
    return statistics.median(seconds)


def watch_table(rows: list[dict[str, float]]) -> str:
    """One change in a resident process: what a rebuild costs without starting Python."""
    lines = [
        "| episodes | cold (s) | one change, new process (s) | % of cold "
        "| one change, watching (s) | % of cold |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['size']):,} | {r['cold']:.2f} | {r['one']:.2f} "
            f"| {100 * r['one'] / r['cold']:.1f}% | {r['watch']:.2f} "
            f"| {100 * r['watch'] / r['cold']:.1f}% |"
        )
    return "\n".join(lines)


def cpu_table(rows: list[dict[str, float]]) -> str:
    """The same runs in CPU seconds: steadier than wall time on a busy machine."""
    lines = [
        "| episodes | floor CPU (s) | cold CPU (s) | cold / floor | cold 1 process CPU (s) "
        "| / floor | no-change CPU (s) "
        "| % of cold | one change CPU (s) | % of cold | cold CPU per episode (ms) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['size']):,} | {r['floor_cpu']:.2f} | {r['cold_cpu']:.2f} "
            f"| {r['cold_cpu'] / r['floor_cpu']:.2f}× | {r['cold1_cpu']:.2f} "
            f"| {r['cold1_cpu'] / r['floor_cpu']:.2f}× | {r['same_cpu']:.2f} "
            f"| {100 * r['same_cpu'] / r['cold_cpu']:.1f}% | {r['one_cpu']:.2f} "
            f"| {100 * r['one_cpu'] / r['cold_cpu']:.1f}% "
            f"| {1000 * r['cold_cpu'] / r['size']:.0f} |"
        )
    return "\n".join(lines)


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| episodes | floor (s) | cold (s) | cold / floor | cold 1 process (s) | / floor "
        "| no-change (s) | % of cold "
        "| one change (s) | % of cold | peak MB cold / 1 process / no-change / one |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['size']):,} | {r['floor']:.2f} | {r['cold']:.2f} "
            f"| {r['cold'] / r['floor']:.2f}× | {r['cold1']:.2f} | {r['cold1'] / r['floor']:.2f}× "
            f"| {r['same']:.2f} "
            f"| {100 * r['same'] / r['cold']:.1f}% "
            f"| {r['one']:.2f} | {100 * r['one'] / r['cold']:.1f}% "
            f"| {r['cold_mb']:.0f} / {r['cold1_mb']:.0f} / {r['same_mb']:.0f} "
            f"/ {r['one_mb']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--no-serial", action="store_true", help="skip the cold build in one process (--jobs 1)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure each build this many times, interleaved, and report medians",
    )
    args = parser.parse_args()
    if not (args.corpus / "episodes").is_dir():
        raise SystemExit(f"{args.corpus}/episodes not found; pass --corpus DIR")
    rows = []
    # Nothing is deleted until every size is measured: on ext4 without a journal (this
    # machine's disk), for about 30 s after thousands of files are deleted, every new inode
    # is found by skipping the recently deleted ones one by one (``recently_deleted`` in the
    # kernel's inode allocator); a cold build started right after removing the previous
    # build's output spent up to 4x more system time creating its files.
    with tempfile.TemporaryDirectory(prefix="feedgen-bench-") as tmp:
        env = snapshot_package(Path(tmp))
        for size in args.sizes:
            row = bench(args.corpus, size, Path(tmp), env, not args.no_serial, max(1, args.repeat))
            rows.append(row)
            print(
                f"{size}: floor {row['floor']:.2f}s (parse only {row['floor_parse']:.2f}s), "
                f"cold {row['cold']:.2f}s (1 process {row['cold1']:.2f}s), "
                f"no-change {row['same']:.2f}s, "
                f"one change {row['one']:.2f}s (watching {row['watch']:.2f}s)",
                file=sys.stderr,
                flush=True,
            )
    print("Wall time and peak memory:\n")
    print(table(rows))
    print("\nCPU time:\n")
    print(cpu_table(rows))
    print("\nOne change in a resident process (`build --watch`):\n")
    print(watch_table(rows))


if __name__ == "__main__":
    main()
