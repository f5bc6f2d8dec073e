"""What the commands share: exit codes, the show's folder, kind and network arguments, and
how problems and reports are printed. The CLI (``cli.py``) and every command module import
it from here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from .. import problem_report
from ..config import CONFIG_NAMES, default_config_path, load_config, read_config
from ..config_values import as_network_section
from ..errors import ConfigError, FeedgenPodError, Problem, Severity, display_path
from ..model import Show

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


def error_exit(exc: FeedgenPodError) -> int:
    """Our exception as its message on stderr; the exit code it means (2: usage or config)."""
    print(_message(exc), file=sys.stderr)
    return EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_INPUT


def _message(exc: FeedgenPodError) -> str:
    """A Problem already reads `path:line: error: ...`; only bare text needs the prefix."""
    return str(exc) if exc.problem is not None else f"error: {exc}"
