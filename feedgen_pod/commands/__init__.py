"""Subcommands: each module has ``register(subparsers)`` that adds its parser and sets
``func(args) -> int``. ``COMMANDS`` is the registry the CLI reads."""

from __future__ import annotations

import argparse
from pathlib import Path

COMMANDS = ["build", "captions", "chapters", "validate", "publish", "check-links", "diff", "upload"]


def add_show_arguments(parser: argparse.ArgumentParser) -> None:
    """--config, --episodes, --people: shared by every command that reads the show."""
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("config/podcast.yaml"),
        help="the show's config (default: config/podcast.yaml)",
    )
    parser.add_argument(
        "--episodes",
        type=Path,
        metavar="DIR",
        help="episode files (default: the config's episodes_dir)",
    )
    parser.add_argument(
        "--people",
        type=Path,
        metavar="DIR",
        help="people profiles (default: the config's people_dir)",
    )


def add_kind_filters(parser: argparse.ArgumentParser) -> None:
    """--only, --ignore: which problems a command reports, counts and fails on, by kind."""
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="KIND",
        help="report only problems of this kind (repeatable; shell wildcards like 'chapters-*')",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="KIND",
        help="leave out problems of this kind (repeatable; wildcards as for --only)",
    )
