"""``feedgen-pod build``: config + episodes → dist/."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import EXIT_INPUT, EXIT_OK, load_show_config, print_problems
from ..parallel import MIN_PARALLEL_FILES
from . import add_show_arguments


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build",
        help="build feed.xml and every episode's files into dist/",
        description="Read config/ and episodes/ and write the RSS feed, chapters, transcripts "
        "and JSON-LD into the output folder.",
    )
    add_show_arguments(parser)
    parser.add_argument(
        "--out", type=Path, default=Path("dist"), help="output folder (default: dist)"
    )
    parser.add_argument(
        "--audio-feed",
        metavar="FILE_OR_URL",
        help="the host's existing RSS feed to take enclosures and guids from "
        "(overrides the config's audio_feed)",
    )
    parser.add_argument(
        "--drafts", action="store_true", help="also build drafts (files whose name starts with _)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 1 when there is any)"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="build cache (default: .cache/feedgen-pod beside the output folder)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="build every episode from scratch (the cache is neither read nor written)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="worker processes that build episodes (default: one per CPU; 1: no workers; "
        f"shows under {MIN_PARALLEL_FILES} episode files are always built in one process)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar and no warnings; errors and the summary line only",
    )
    parser.set_defaults(func=run)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 1, got {value!r}")
    return int(value)


def run(args: argparse.Namespace) -> int:
    # imported here: ``validate`` and ``chapters`` import this module for its arguments, and
    # ``--help`` should not load the whole pipeline
    from ..build import BuildOptions, build

    show = load_show_config(args)
    options = BuildOptions(
        out=args.out,
        drafts=args.drafts,
        audio_feed=args.audio_feed,
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        progress=not args.quiet,
        jobs=args.jobs,
    )
    report = build(show, options)
    print_problems(report.problems, quiet=getattr(args, "quiet", False))
    print(report.summary_line())
    failed = report.errors or (args.strict and report.warnings)
    return EXIT_INPUT if failed else EXIT_OK
