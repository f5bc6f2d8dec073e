"""``feedgen-pod validate``: load everything, report every problem and where chapter sources
disagree, write nothing. Exit 1 when there is an error (or any warning with ``--strict``).

Each episode goes through the build's own stages (load, audio, derive, render, the directory
rules), only nothing is written: ``validate`` and ``build`` find the same problems."""

from __future__ import annotations

import argparse

from .. import problem_report
from ..build.episode import render_derived
from ..build.show_files import render_show
from ..derive.chapters import agreement, chapter_source, compare
from ..derive.episode import enrich
from ..errors import Problem, Severity, display_path
from ..load.audio import AudioResolver
from ..load.audio_match import AudioClaim
from ..load.show import discover, load_episodes
from ..net import policy_for
from ..problem_report import counted
from .chapters import add_chapters_dir, with_chapters_dir
from .common import (
    EXIT_INPUT,
    EXIT_OK,
    add_kind_filters,
    add_network_arguments,
    add_report_arguments,
    add_show_arguments,
    load_show_config,
    report_problems,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check every input and list where chapter sources disagree; writes nothing",
        description="Load the config, people and every episode as build does, derive chapters "
        "and cues, and report each problem plus each place where an episode's chapter sources "
        "(transcript headers, quotableClips, timestamp list) disagree.",
    )
    add_show_arguments(parser)
    add_chapters_dir(parser)
    parser.add_argument(
        "--audio-feed",
        metavar="FILE_OR_URL",
        help="the host's RSS feed (overrides the config's audio_feed)",
    )
    parser.add_argument("--drafts", action="store_true", help="also check drafts")
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 1 when there is any)"
    )
    add_network_arguments(parser)
    add_report_arguments(parser)
    add_kind_filters(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    show = with_chapters_dir(load_show_config(args), args)
    sources = discover(show, drafts=args.drafts)
    show = sources.show
    problems: list[Problem] = list(sources.problems)
    policy = policy_for(show.sections.get("network"), args.timeout, args.allow_private)
    audio = AudioResolver(show, args.audio_feed or show.audio_feed, problems, policy)
    checked = disagreeing = 0
    briefs = []  # what the feed needs of each episode, for the directory rules
    episodes = list(load_episodes(sources, problems))
    audio.assign([AudioClaim.of(ep, display_path(ep.source)) for ep in episodes])
    for episode in episodes:
        checked += 1
        episode = enrich(show, audio.attach(episode), problems)
        briefs.append(render_derived(show, episode, problems)[1])  # as a build, not written
        where = display_path(episode.source)
        source = chapter_source(episode)
        matched, total = agreement(episode.chapters, episode)
        listed = f"; timestamp list agrees on {matched}/{total}" if total else ""
        made = (
            f"{counted(len(episode.chapters), 'chapter')} from {source}"
            if source
            else "no chapter data"
        )
        found = compare(episode)
        disagreeing += bool(found)
        if args.format == "text":
            print(f"{where}: {made}{listed}")
            for item in found:
                print(
                    f"  {Problem(item.path or where, item.line, 'chapters', item.message)}".replace(
                        ": error: chapters:", ": disagree:"
                    )
                )
    audio.finish()
    problems.extend(render_show(show, briefs)[1])
    problems = problem_report.select(problems, args.only, args.ignore)
    errors = sum(p.is_error for p in problems)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    line = (
        f"checked {counted(checked, 'episode')} ({len(sources.files) - checked} not loadable); "
        f"{disagreeing} with chapter sources that disagree; "
        f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
    )
    counts = {"episodes": checked, "not_loadable": len(sources.files) - checked,
               "disagreeing": disagreeing, "errors": errors, "warnings": warnings}  # fmt: skip
    report_problems(args.format, problems, "feedgen-pod validate", line, counts, strict=args.strict)
    return EXIT_INPUT if errors or (args.strict and warnings) else EXIT_OK
