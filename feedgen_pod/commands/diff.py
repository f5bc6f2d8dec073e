"""``feedgen-pod diff OLD_FEED [NEW_FEED]``: the release gate. What every subscriber's app will
see when the new feed replaces the live one; exit 1 when something would hurt them."""

from __future__ import annotations

import argparse
import sys

from ..feeddiff import UnreadableFeed, compare, load_feed
from ..feeddiff.report import FORMATS
from .common import EXIT_INPUT, EXIT_OK, EXIT_USAGE, add_report_file_arguments, write_report

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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        old, new = load_feed(args.old), load_feed(args.new)
    except UnreadableFeed as exc:
        print(f"error: {exc}", file=sys.stderr)
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
    if not write_report(report, args.output):
        return EXIT_USAGE
    return EXIT_INPUT if diff.failed else EXIT_OK
