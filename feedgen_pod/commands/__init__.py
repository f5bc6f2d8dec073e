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
