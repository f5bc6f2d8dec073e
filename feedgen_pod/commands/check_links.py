"""``feedgen-pod check-links``: every external link of the show, checked, in the chosen format."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path

from ..config import build_show, check_config, read_config
from ..errors import ConfigError
from ..linkcheck.cache import Cache
from ..linkcheck.collect import collect
from ..linkcheck.engine import Engine
from ..linkcheck.policy import from_config, parse_age
from ..linkcheck.report import FORMATS
from ..linkcheck.types import DOUBTFUL, FAILING, Link
from ..load.show import discover, load_episodes
from ..model import Show
from ..progress import Progress
from .common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    add_report_file_arguments,
    add_show_arguments,
    print_problems,
    with_folders,
    write_report,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-links",
        help="check every external link of the episodes, people and config",
        description="Find every external URL (front matter, show notes, people profiles, "
        "config), check each once, politely and concurrently, and report each place it stands.",
    )
    add_show_arguments(parser)
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="REGEX",
        help="only check URLs matching this (repeatable; adds to links.include)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REGEX",
        help="skip URLs matching this (repeatable; adds to links.exclude)",
    )
    add_report_file_arguments(parser, sorted(FORMATS))
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="FILE",
        help="SQLite cache of results (default: links.cache or .cache/links.sqlite)",
    )
    parser.add_argument(
        "--max-age",
        metavar="AGE",
        help="reuse good cached results younger than this (seconds, or 12h, 7d; default 1d)",
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="allow private, loopback and link-local addresses (for tests)",
    )
    parser.add_argument(
        "--fail-on-unverifiable",
        action="store_true",
        help="also exit 1 for unverifiable and timed-out links",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no loader warnings")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check every link: the config is read and validated first (a config error is exit 2
    before any request), then the show is loaded and its links are checked."""
    data, lines = read_config(args.config)
    values = check_config(args.config, data, lines)
    settings = from_config(values.get("links", {}))
    for pattern in [*args.include, *args.exclude]:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"--include/--exclude: {pattern!r} is not a valid regex: {exc}"
            ) from None
    settings = replace(
        settings,
        include=settings.include + tuple(args.include),
        exclude=settings.exclude + tuple(args.exclude),
        allow_private=settings.allow_private or args.allow_private,
        fail_on_unverifiable=settings.fail_on_unverifiable or args.fail_on_unverifiable,
    )
    if args.max_age is not None:
        settings = replace(settings, max_age=parse_age(args.max_age, "--max-age"))
    if args.cache is not None:
        settings = replace(settings, cache=args.cache)
    links = _collected(args, build_show(values, args.config, lines))

    cache = None
    if not args.no_cache:
        try:
            cache = Cache(settings.cache)
        except OSError as exc:
            print(
                f"warning: cache {settings.cache} unusable ({exc}); checking without it",
                file=sys.stderr,
            )
    progress = Progress.for_terminal(len(links), quiet=args.quiet)
    try:
        results = Engine(settings, cache, progress.update if progress.enabled else None).run(links)
    finally:
        progress.close()
        if cache:
            cache.close()

    failing = FAILING | (DOUBTFUL if settings.fail_on_unverifiable else frozenset())
    to_tty = args.output is None and sys.stdout.isatty()
    report = FORMATS[args.format](results, to_tty, failing)
    if not write_report(report, args.output):
        return EXIT_USAGE
    return EXIT_INPUT if any(r.status in failing for r in results) else EXIT_OK


def _collected(args: argparse.Namespace, show: Show) -> list[Link]:
    """Every link of the loaded show, with its places; the loader's errors on stderr."""
    sources = discover(with_folders(show, args))
    problems = list(sources.problems)
    episodes = list(load_episodes(sources, problems))
    print_problems([p for p in problems if p.is_error], quiet=args.quiet)
    return collect(sources.show, sources.people, episodes)
