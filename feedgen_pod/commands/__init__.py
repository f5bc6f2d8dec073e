"""Subcommands: each module has ``register(subparsers)`` that adds its parser and sets
``func(args) -> int``. ``COMMANDS`` is the registry the CLI reads."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from ..config import CONFIG_NAMES, default_config_path, read_config
from ..config_values import as_network_section
from ..errors import ConfigError, Problem, display_path

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
#: the config a command reads when --config is not given: the site root's, else the project's
DEFAULT_CONFIG = default_config_path()


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


def add_network_arguments(
    parser: argparse.ArgumentParser, private: bool = True, timeout_help: str | None = None
) -> None:
    """--timeout (and --allow-private): every command that reaches the network."""
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help=timeout_help
        or "seconds a request may take, connecting, redirects, retries and the whole answer "
        "included (default: network.timeout, else 30)",
    )
    if private:
        parser.add_argument(
            "--allow-private",
            action="store_true",
            help="allow private and loopback addresses (local testing only; link-local ones "
            "only by name, in network.allow_hosts)",
        )


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 86400:
        raise argparse.ArgumentTypeError(f"expected seconds above 0, got {value!r}")
    return seconds


def network_section(config: Path) -> Mapping[str, object]:
    """The ``network:`` section of ``config``, checked; nothing when the default config is
    absent (a command that needs no show, like ``diff``, runs anywhere)."""
    if config == DEFAULT_CONFIG and not config.exists():
        return {}
    data, lines = read_config(config)
    try:
        return as_network_section(data.get("network"), "network")
    except ValueError as exc:
        where = display_path(config)
        problem = Problem(
            where, lines.get("network"), "network", str(exc), kind="config-invalid-value"
        )
        raise ConfigError(problem) from None
