"""Problems as a maintainer reads them: grouped by kind with the worst first, or every one of
them as JSON for tools, or a Markdown summary for a CI job page.

A build of a big archive can report hundreds of problems; the grouped summary says which
kinds there are, how many of each and where to start, errors before warnings. One wrong file
can repeat one warning hundreds of times (a text file given as captions warns on every line):
in the text report, more than ``FOLD_AFTER`` warnings of one kind in one file are one line
that says how many there are and where (JSON keeps every one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase

import orjson

from .errors import Problem, Severity

FORMATS = ("text", "json", "markdown")
#: files named per kind in the grouped summary
FIRST_FILES = 3
#: warnings of one kind in one file printed one by one; more are folded into one line
FOLD_AFTER = 3
#: lines named in a folded line, besides the last
FOLD_LINES = 5
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def kind_of(problem: Problem) -> str:
    """The problem's kind; one not given a code is grouped by the field it is about."""
    field = (problem.field or "input").split(".")[0]
    return problem.kind or f"{field}-problem"


def in_file_order(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless it is one.

    >>> counted(1, "warning"), counted(2, "error"), counted(0, "episode")
    ('1 warning', '2 errors', '0 episodes')
    """
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def text_lines(problems: Iterable[Problem]) -> list[str]:
    """Each problem as a line, in file order; more than ``FOLD_AFTER`` warnings (or notes) of
    one kind in one file are one line: the first, with how many more there are and their
    lines. Errors are never folded: each is something to fix."""
    ordered = in_file_order(problems)
    repeats: dict[tuple[str, str, Severity], list[Problem]] = defaultdict(list)
    for problem in ordered:
        if not problem.is_error:
            repeats[(problem.path, kind_of(problem), problem.severity)].append(problem)
    lines = []
    folded: set[tuple[str, str, Severity]] = set()
    for problem in ordered:
        key = (problem.path, kind_of(problem), problem.severity)
        same = [] if problem.is_error else repeats[key]
        if len(same) <= FOLD_AFTER:
            lines.append(str(problem))
        elif key not in folded:
            folded.add(key)
            lines.append(f"{problem} ({_more(same[1:], key[1])})")
    return lines


def _more(rest: list[Problem], kind: str) -> str:
    """``and 876 more captions-text-before-time warnings in this file, lines 4, 5, …, 879``."""
    said = f"and {counted(len(rest), f'more {kind} {rest[0].severity.value}')} in this file"
    numbers = sorted({p.line for p in rest if p.line})
    if not numbers:
        return said
    shown = [str(n) for n in numbers[:FOLD_LINES]]
    if len(numbers) > FOLD_LINES + 1:
        shown.append("…")
    if len(numbers) > FOLD_LINES:
        shown.append(str(numbers[-1]))
    return f"{said}, {'line' if len(numbers) == 1 else 'lines'} {', '.join(shown)}"


def select(
    problems: Iterable[Problem], only: Sequence[str] = (), ignore: Sequence[str] = ()
) -> list[Problem]:
    """The problems whose kind matches one of ``only`` (all when empty) and none of ``ignore``;
    patterns may use shell wildcards (``chapters-*``)."""

    def matches(problem: Problem, patterns: Sequence[str]) -> bool:
        return any(fnmatchcase(kind_of(problem), pattern) for pattern in patterns)

    return [
        p
        for p in problems
        if (not only or matches(p, only)) and not (ignore and matches(p, ignore))
    ]


def groups(problems: Iterable[Problem]) -> list[tuple[Severity, str, list[Problem]]]:
    """(severity, kind, problems) per kind, errors first, then the most frequent."""
    by_kind: dict[tuple[Severity, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        by_kind[(problem.severity, kind_of(problem))].append(problem)
    ordered = sorted(by_kind.items(), key=lambda kv: (_RANK[kv[0][0]], -len(kv[1]), kv[0][1]))
    return [(severity, kind, in_file_order(found)) for (severity, kind), found in ordered]


def _files(found: list[Problem]) -> tuple[list[str], int]:
    """The first few distinct files of a group, and how many more there are."""
    files = list(dict.fromkeys(p.path for p in found))
    return files[:FIRST_FILES], max(0, len(files) - FIRST_FILES)


def grouped_text(problems: Sequence[Problem]) -> str:
    """One line per kind: severity, kind, count and the first files; "" when none."""
    lines = []
    for severity, kind, found in groups(problems):
        files, more = _files(found)
        rest = f" and {more} more" if more else ""
        lines.append(f"{severity.value:7} {kind} ×{len(found)}: {', '.join(files)}{rest}")
    return "\n".join(lines)


def as_dict(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.path,
        "line": problem.line,
        "field": problem.field,
        "kind": kind_of(problem),
        "severity": problem.severity.value,
        "message": problem.message,
    }


def to_json(problems: Sequence[Problem], summary: Mapping[str, object]) -> str:
    """Every problem with its file, line, field, kind, severity and message."""
    document = {"summary": summary, "problems": [as_dict(p) for p in in_file_order(problems)]}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(problems: Sequence[Problem], title: str, summary_line: str) -> str:
    """A summary for a CI job page: the kinds as a table, then each error in full."""
    out = [f"## {title}", "", summary_line, ""]
    found = groups(problems)
    if found:
        out += ["| severity | kind | count | first files |", "|---|---|---|---|"]
        for severity, kind, items in found:
            files, more = _files(items)
            where = ", ".join(f"`{_cell(f)}`" for f in files)
            where += f" and {more} more" if more else ""
            out.append(f"| {severity.value} | `{kind}` | {len(items)} | {where} |")
        out.append("")
    errors = [p for p in in_file_order(problems) if p.is_error]
    if errors:
        out += ["### Errors", ""]
        out += [f"- `{_cell(p.path)}{f':{p.line}' if p.line else ''}` {_cell(p.message)}"
                for p in errors]  # fmt: skip
        out.append("")
    return "\n".join(out)
