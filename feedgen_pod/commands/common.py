"""What the commands share: exit codes, the show's folder arguments, and how problems and
reports are printed. The CLI (``cli.py``) and every command module import it from here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .. import problem_report
from ..config import load_config
from ..errors import ConfigError, FeedgenPodError, Problem
from ..model import Show

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


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


def print_problems(problems: Sequence[Problem], quiet: bool = False) -> None:
    """Every problem on stderr, errors and warnings, in file order."""
    for problem in problem_report.in_file_order(problems):
        if quiet and not problem.is_error:
            continue
        print(problem, file=sys.stderr)


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
    summary: dict[str, object],
    quiet: bool = False,
    notes: Sequence[str] = (),
) -> None:
    """A command's problems and its summary line, in the ``--format`` asked for; ``notes``
    (text form only, not with ``quiet``) go to stderr just before the summary line."""
    if form == "json":
        print(problem_report.to_json(problems, summary), end="")
    elif form == "markdown":
        print(problem_report.to_markdown(problems, title, line))
    else:
        print_problems(problems, quiet)
        shown = [p for p in problems if p.is_error or not quiet]
        if len(shown) > 1:
            print(f"\nby kind:\n{problem_report.grouped_text(shown)}", file=sys.stderr)
        if notes and not quiet:
            print("\n".join(notes), file=sys.stderr)
        print(line)


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


def error_exit(exc: FeedgenPodError) -> int:
    """Our exception as its message on stderr; the exit code it means (2: usage or config)."""
    print(_message(exc), file=sys.stderr)
    return EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_INPUT


def _message(exc: FeedgenPodError) -> str:
    """A Problem already reads `path:line: error: ...`; only bare text needs the prefix."""
    return str(exc) if exc.problem is not None else f"error: {exc}"
