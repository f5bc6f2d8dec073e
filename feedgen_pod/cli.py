"""The command line: argument parsing, and our exceptions turned into messages and exit codes.

Exit codes: 0 all good; 1 some input was invalid (everything valid was still done); 2 usage or
config error (nothing written); 4 the network is unreachable (``check-links``: nothing could be
checked, so nothing is reported broken).
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from . import __version__, problem_report
from .commands import COMMANDS
from .config import load_config
from .errors import ConfigError, FeedgenPodError, Problem, Severity, display_path
from .model import Show

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_OFFLINE = 4


def load_show_config(args: argparse.Namespace) -> Show:
    """The config named by --config, with --episodes/--people applied."""
    show, _ = load_config(args.config)
    return with_folders(show, args)


def with_folders(show: Show, args: argparse.Namespace) -> Show:
    """``show`` with the folders given by --episodes/--people instead of the config's."""
    if getattr(args, "episodes", None):
        show = replace(show, episodes_dir=Path(args.episodes))
    if getattr(args, "people", None):
        show = replace(show, people_dir=Path(args.people))
    return show


def print_problems(problems: Sequence[Problem], quiet: bool = False, strict: bool = False) -> None:
    """Every problem on stderr in file order, a flood of one kind in one file folded into one
    line (``problem_report.text_lines``); ``quiet`` keeps the errors, and with ``strict`` the
    warnings too, since they fail the run."""
    for line in problem_report.text_lines(_shown(problems, quiet, strict)):
        print(line, file=sys.stderr)


def _shown(problems: Sequence[Problem], quiet: bool, strict: bool) -> list[Problem]:
    if not quiet:
        return list(problems)
    return [p for p in problems if p.is_error or (strict and p.severity is Severity.WARNING)]


def add_report_file_arguments(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """``--format`` and ``--output`` of a command whose report is its output (``write_report``)."""
    parser.add_argument(
        "--format", choices=formats, default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report here instead of standard output",
    )


def write_report(report: str, output: Path | None) -> bool:
    """The report on stdout, or in ``output`` (its folder made); False, with the reason on
    stderr, when the file cannot be written."""
    if output is None:
        sys.stdout.write(report)
        return True
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {output}: {exc.strerror}", file=sys.stderr)
        return False
    return True


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=problem_report.FORMATS,
        default="text",
        help="text: every problem, a summary by kind and the summary line (default); json: every "
        "problem with file, line, field, kind, severity and message; markdown: a summary for a "
        "CI job page",
    )


def report_problems(
    form: str,
    problems: Sequence[Problem],
    title: str,
    line: str,
    summary: Mapping[str, object],
    quiet: bool = False,
    notes: Sequence[str] = (),
    strict: bool = False,
) -> None:
    """A command's problems and its summary line, in the ``--format`` asked for; ``notes``
    (text form only, not with ``quiet``) go to stderr just before the summary line. With
    ``quiet``, the text form shows the errors, and the warnings when ``strict`` makes them
    fail the run."""
    if form == "json":
        print(problem_report.to_json(problems, summary), end="")
    elif form == "markdown":
        print(problem_report.to_markdown(problems, title, line))
    else:
        print_problems(problems, quiet, strict)
        shown = _shown(problems, quiet, strict)
        if len(shown) > 1:
            print(f"\nby kind:\n{problem_report.grouped_text(shown)}", file=sys.stderr)
        if notes and not quiet:
            print("\n".join(notes), file=sys.stderr)
        print(line)


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The CLI's parser. When ``argv`` names a command first, only that command's module is
    imported (each command module imports this one for its helpers)."""
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
        module = importlib.import_module(f".commands.{name.replace('-', '_')}", __package__)
        module.register(subparsers)
    return top


def error_exit(exc: FeedgenPodError) -> int:
    """Our exception as its message on stderr; the exit code it means (2: usage or config)."""
    print(_message(exc), file=sys.stderr)
    return EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_INPUT


def _message(exc: FeedgenPodError) -> str:
    """A Problem already reads `path:line: error: ...`; only bare text needs the prefix."""
    return str(exc) if exc.problem is not None else f"error: {exc}"


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
