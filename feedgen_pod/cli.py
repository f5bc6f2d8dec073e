"""The command line: argument parsing, and our exceptions turned into messages and exit codes.

Exit codes: 0 all good; 1 some input was invalid (everything valid was still done); 2 usage or
config error (nothing written); 4 the network is unreachable (``check-links``: nothing could be
checked, so nothing is reported broken).
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from . import __version__
from .commands import COMMANDS
from .commands.common import EXIT_INPUT, EXIT_OFFLINE, EXIT_OK, EXIT_USAGE, error_exit
from .errors import FeedgenPodError, display_path


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The CLI's parser. When ``argv`` names a command first, only that command's module is
    imported (see ``commands``)."""
    first = list(sys.argv[1:] if argv is None else argv)[:1]

    top = argparse.ArgumentParser(
        prog="feedgen-pod",
        description="Turn a podcast's episode files into its RSS feed, chapters, transcripts, "
        "JSON-LD, and check every link.",
    )
    top.add_argument("--version", action="version", version=f"feedgen-pod {__version__}")
    subparsers = top.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in [w for w in first if w in COMMANDS] or COMMANDS:
        COMMANDS[name]()(subparsers)
    return top


class Terminated(BaseException):
    """SIGTERM (a cancelled CI job, a service manager) raised in the main thread like Ctrl-C,
    so that ``finally`` blocks run: the build's worker pool is shut down (its workers would
    otherwise outlive us, idle forever) and no temporary file is left in ``dist/``."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = parser(argv).parse_args(argv)
    if argv is None:  # run as the program (tests calling main() keep their own handlers)
        signal.signal(signal.SIGTERM, _terminated)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args))
    except FeedgenPodError as exc:
        return error_exit(exc)
    except OSError as exc:  # one no command expected: still a message, never a traceback
        where = f"{display_path(exc.filename)}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated", file=sys.stderr)
        return 128 + signal.SIGTERM


__all__ = ["EXIT_INPUT", "EXIT_OFFLINE", "EXIT_OK", "EXIT_USAGE", "main", "parser"]
