"""``feedgen-pod validate``: load everything, report every problem and where chapter sources
disagree, write nothing. Exit 1 when there is an error (or any warning with ``--strict``)."""

from __future__ import annotations

import argparse

from ..chapters import agreement, chapter_source, compare
from ..checks.directory_rules import check_show
from ..cli import EXIT_INPUT, EXIT_OK, load_show_config, print_problems
from ..derive import enrich, summary
from ..errors import Problem, display_path
from ..load.audio import AudioResolver
from ..load.show import discover, load_episodes
from . import add_show_arguments
from .chapters import add_chapters_dir, with_chapters_dir


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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    show = with_chapters_dir(load_show_config(args), args)
    sources = discover(show, drafts=args.drafts)
    show = sources.show
    problems: list[Problem] = list(sources.problems)
    audio = AudioResolver(show, args.audio_feed or show.audio_feed, problems)
    checked = disagreeing = 0
    briefs = []  # what the feed needs of each episode, for the directory rules
    for episode in load_episodes(sources, problems):
        checked += 1
        episode = enrich(show, audio.attach(episode), problems)
        briefs.append(summary(episode))
        where = display_path(episode.source)
        source = chapter_source(episode)
        matched, total = agreement(episode.chapters, episode)
        listed = f"; timestamp list agrees on {matched}/{total}" if total else ""
        made = f"{len(episode.chapters)} chapters from {source}" if source else "no chapter data"
        print(f"{where}: {made}{listed}")
        found = compare(episode)
        disagreeing += bool(found)
        for item in found:
            print(
                f"  {Problem(item.path or where, item.line, 'chapters', item.message)}".replace(
                    ": error: chapters:", ": disagree:"
                )
            )
    audio.finish()
    problems.extend(check_show(show, briefs))
    print_problems(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(
        f"checked {checked} episodes ({len(sources.files) - checked} not loadable); "
        f"{disagreeing} with chapter sources that disagree (listed above); "
        f"{errors} errors, {warnings} warnings"
    )
    return EXIT_INPUT if errors or (args.strict and warnings) else EXIT_OK
