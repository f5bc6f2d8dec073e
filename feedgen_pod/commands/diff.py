"""``feedgen-pod diff OLD_FEED [NEW_FEED]``: the release gate. What every subscriber's app will
see when the new feed replaces the live one; exit 1 when something would hurt them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..feeddiff import UnreadableFeed, compare, load_feed
from ..feeddiff.report import FORMATS
from ..net import clean_text, policy_for
from .common import (
    DEFAULT_CONFIG,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    add_network_arguments,
    add_report_file_arguments,
    network_section,
    write_report,
)

_FORMATS = ("github", "json", "markdown", "text")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="compare the live feed with the new one; exit 1 on a break",
        description="Compare the feed subscribers have now (a file or an http(s) URL) with the "
        "new one: items added, removed and changed, and every break (a removed or changed "
        "guid, duplicates, a changed podcast:guid or self link, a moved pubDate).",
    )
    parser.add_argument("old", metavar="OLD_FEED", help="the live feed: a file or an http(s) URL")
    parser.add_argument(
        "new",
        metavar="NEW_FEED",
        nargs="?",
        default="dist/feed.xml",
        help="the new feed: a file or an http(s) URL (default: dist/feed.xml)",
    )
    parser.add_argument(
        "--allow-removed",
        action="append",
        default=[],
        metavar="GUID",
        help="an item the new feed leaves out on purpose (repeatable; for an item without a "
        "guid, its enclosure URL)",
    )
    add_report_file_arguments(parser, _FORMATS)
    add_network_arguments(parser)
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="a config whose network: section applies (default: config/podcast.yaml, when "
        "there is one)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = policy_for(network_section(args.config), args.timeout, args.allow_private)
    try:
        old, new = load_feed(args.old, policy), load_feed(args.new, policy)
    except UnreadableFeed as exc:
        print(f"error: {clean_text(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    diff = compare(old, new, args.allow_removed)
    known = {item.guid or item.enclosure_url for item in old.items}
    for guid in args.allow_removed:
        if guid not in known:
            print(
                f"warning: --allow-removed {guid}: no item of {old.source} has this guid",
                file=sys.stderr,
            )
    report = FORMATS[args.format](diff)
    if args.format != "json":  # a remote feed's text may hold what a terminal would act on
        report = clean_text(report)
    if not write_report(report, args.output):
        return EXIT_USAGE
    return EXIT_INPUT if diff.failed else EXIT_OK
