"""Subcommands: each module has ``register(subparsers)`` that adds its parser and sets
``func(args) -> int``. ``COMMANDS`` is the registry the CLI reads, in the order ``--help``
lists them."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from . import build, captions, chapters, check_links, diff, publish, validate

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

COMMANDS: dict[str, Register] = {
    "build": build.register,
    "captions": captions.register,
    "chapters": chapters.register,
    "validate": validate.register,
    "publish": publish.register,
    "check-links": check_links.register,
    "diff": diff.register,
}
