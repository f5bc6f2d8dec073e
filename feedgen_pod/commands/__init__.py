"""Subcommands: each module has ``register(subparsers)`` that adds its parser and sets
``func(args) -> int``. ``COMMANDS`` is the registry the CLI reads."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import CONFIG_NAMES, default_config_path

COMMANDS = [
    "init",
    "build",
    "captions",
    "chapters",
    "validate",
    "publish",
    "check-links",
    "diff",
    "sizes",
    "upload",
]


def add_show_arguments(parser: argparse.ArgumentParser) -> None:
    """--config, --episodes, --people: shared by every command that reads the show."""
    parser.add_argument(
        "--config",
        type=Path,
        default=default_config_path(),
        help=f"the show's config (default: {CONFIG_NAMES[0]}, else {CONFIG_NAMES[1]}, in the "
        "working folder)",
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
