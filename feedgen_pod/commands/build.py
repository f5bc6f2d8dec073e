"""``feedgen-pod build``: config + episodes → dist/."""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from pathlib import Path

from ..build import BuildOptions, BuildReport, build, watch
from ..build.workers import MIN_PARALLEL_FILES
from ..errors import FeedgenPodError
from ..net import policy_for
from ..problem_report import select
from .common import (
    EXIT_INPUT,
    EXIT_OK,
    add_kind_filters,
    add_network_arguments,
    add_report_arguments,
    add_show_arguments,
    error_exit,
    load_show_config,
    report_problems,
)


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
        "--strict",
        action="store_true",
        help="treat warnings as errors (exit 1 when there is any; shown even with --quiet)",
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
        help="no progress bar and no warnings (unless --strict makes them fail the build); "
        "errors and the summary line only",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="stay running and build again whenever the config or a file in the episodes, "
        "people or timestamp-list folders changes (Ctrl-C ends it)",
    )
    parser.add_argument(
        "--interval",
        type=_interval,
        default=1.0,
        metavar="SECONDS",
        help="how often --watch looks for changes (default: 1)",
    )
    add_network_arguments(parser)
    add_report_arguments(parser)
    add_kind_filters(parser)
    parser.set_defaults(func=run)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 1, got {value!r}")
    return int(value)


def _interval(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not 0.01 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds from 0.01 to 3600, got {value!r}")
    return seconds


def run(args: argparse.Namespace) -> int:
    if not args.watch:
        return _build(args)

    def rebuild() -> int:  # a broken config while watching is reported, and watched
        try:
            return _build(args)
        except FeedgenPodError as exc:
            return error_exit(exc)

    return watch.loop(rebuild, lambda: _inputs(args), args.interval)


def _inputs(args: argparse.Namespace) -> watch.Snapshot:
    """The show's inputs as ``--watch`` looks at them: the config file and the episodes,
    people and timestamp-list folders it names (or the command line does)."""
    try:
        show = load_show_config(args)
        folders = [show.episodes_dir, show.people_dir, show.chapters.directory]
    except FeedgenPodError:  # reported by the build; the folders given still count
        folders = [args.episodes, args.people]
    return watch.snapshot([f for f in folders if f is not None], [args.config])


def _build(args: argparse.Namespace) -> int:
    """One build."""
    show = load_show_config(args)
    options = BuildOptions(
        out=args.out,
        drafts=args.drafts,
        audio_feed=args.audio_feed,
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        progress=not args.quiet,
        jobs=args.jobs,
        network=policy_for(show.sections.get("network"), args.timeout, args.allow_private),
    )
    return _finish(args, build(show, options))


def _finish(args: argparse.Namespace, report: BuildReport) -> int:
    """The report and the exit code, of the problems ``--only``/``--ignore`` keep (the cache
    keeps them all: a build without the flags reports them again)."""
    report = replace(report, problems=select(report.problems, args.only, args.ignore))
    summary = {"built": report.built, "reused": report.reused, "skipped": report.skipped,
               "files_changed": report.files_written, "files_removed": report.files_removed,
               "errors": len(report.errors), "warnings": len(report.warnings)}  # fmt: skip
    report_problems(
        args.format,
        report.problems,
        "feedgen-pod build",
        report.summary_line(),
        summary,
        quiet=args.quiet,
        notes=report.feed.lines() if report.feed else (),
        strict=args.strict,
    )
    failed = report.errors or (args.strict and report.warnings)
    return EXIT_INPUT if failed else EXIT_OK
