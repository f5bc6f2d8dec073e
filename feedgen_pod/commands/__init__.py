"""Subcommands: each module has ``register(subparsers)`` that adds its parser and sets
``func(args) -> int``. ``COMMANDS`` is the registry the CLI reads, in the order ``--help``
lists them: command name → a function that imports that command's module and gives its
``register``.

A command's module is imported only when that command runs (or for ``--help``): importing
them all would make every ``build`` import the link checker's, the publisher's and the
uploaders' HTTP stack and image reader (requests, urllib3, Pillow), a third of a rebuild
after one episode changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _init() -> Register:
    from . import init

    return init.register


def _build() -> Register:
    from . import build

    return build.register


def _captions() -> Register:
    from . import captions

    return captions.register


def _chapters() -> Register:
    from . import chapters

    return chapters.register


def _validate() -> Register:
    from . import validate

    return validate.register


def _publish() -> Register:
    from . import publish

    return publish.register


def _check_links() -> Register:
    from . import check_links

    return check_links.register


def _diff() -> Register:
    from . import diff

    return diff.register


def _sizes() -> Register:
    from . import sizes

    return sizes.register


def _upload() -> Register:
    from . import upload

    return upload.register


COMMANDS: dict[str, Callable[[], Register]] = {
    "init": _init,
    "build": _build,
    "captions": _captions,
    "chapters": _chapters,
    "validate": _validate,
    "publish": _publish,
    "check-links": _check_links,
    "diff": _diff,
    "sizes": _sizes,
    "upload": _upload,
}
