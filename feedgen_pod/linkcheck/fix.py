"""A repair to apply: dead URLs replaced by their archived copies, as a patch or in the files.

Each replacement is made on the line the link stands on, and only where the URL stands there
whole (not inside a longer URL, not inside an archive address that already wraps it); every
other byte of the file stays as it is: line endings, a missing last newline, a byte order mark.
The patch is a unified diff with ``a/`` and ``b/`` paths relative to the working folder, which
``git apply`` (or ``patch -p1``) takes from there; ``--write`` makes the same changes itself.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .types import Source


@dataclass(frozen=True)
class Replacement:
    """``old`` becomes ``new`` where it stands at ``source``."""

    source: Source
    old: str
    new: str


@dataclass(frozen=True)
class Plan:
    """The files' new texts, the replacements made, and those left to a person (with why)."""

    #: path → (text before, text after)
    texts: Mapping[str, tuple[str, str]]
    done: tuple[Replacement, ...]
    skipped: tuple[tuple[Replacement, str], ...]


#: characters that continue a URL: a match followed or preceded by one is part of another URL
_AFTER = r"(?![\w\-/%?#=&~+@:]|[.,;](?=[\w/]))"
_BEFORE = r"(?<![\w\-/%?#=&~+@.:])"


def replace_in_line(line: str, old: str, new: str) -> tuple[str, int]:
    """``line`` with every whole occurrence of the URL ``old`` made ``new``, and how many.

    >>> replace_in_line("see [a](https://a.example/x) and https://a.example/xy", \\
    ...     "https://a.example/x", "https://b.example/")
    ('see [a](https://b.example/) and https://a.example/xy', 1)
    """
    pattern = re.compile(_BEFORE + re.escape(old) + _AFTER)
    return pattern.subn(lambda _: new, line)


def plan(replacements: Iterable[Replacement], read: Callable[[str], str] | None = None) -> Plan:
    """The changes ``replacements`` make, reading each file once (``read(path) -> str``)."""
    read = read or _read
    by_path: dict[str, list[Replacement]] = {}
    for item in replacements:
        by_path.setdefault(item.source.path, []).append(item)
    texts: dict[str, tuple[str, str]] = {}
    done: list[Replacement] = []
    skipped: list[tuple[Replacement, str]] = []
    for path in sorted(by_path):
        try:
            before = read(path)
        except (OSError, UnicodeDecodeError) as exc:
            reason = f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}"
            skipped += [(item, reason) for item in by_path[path]]
            continue
        lines = before.split("\n")
        for item in sorted(by_path[path], key=lambda r: (r.source.line, r.old)):
            index = item.source.line - 1
            if not 0 <= index < len(lines):
                skipped.append((item, f"{path} has no line {item.source.line}"))
                continue
            lines[index], count = replace_in_line(lines[index], item.old, item.new)
            if count:
                done.append(item)
            else:
                skipped.append((item, f"the URL is not written as such on line {item.source.line}"))
        after = "\n".join(lines)
        if after != before:
            texts[path] = (before, after)
    return Plan(texts, tuple(done), tuple(skipped))


def _read(path: str) -> str:
    # bytes as they are (no newline translation); a byte order mark stays a character
    return Path(path).read_bytes().decode("utf-8")


def unified_diff(path: str, before: str, after: str) -> str:
    """One file's unified diff, as ``git apply`` reads it (a missing last newline marked)."""
    out = []
    for line in difflib.unified_diff(_lines(before), _lines(after), f"a/{path}", f"b/{path}"):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines as git counts them: ended by ``\\n`` only (a ``\\r`` before it is the line's)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def patch(found: Plan) -> str:
    """Every changed file's diff, in path order."""
    return "".join(unified_diff(path, *found.texts[path]) for path in sorted(found.texts))


def write_patch(found: Plan, target: Path) -> None:
    # the build's writer, imported here: its package brings the whole build pipeline, which a
    # check that writes nothing (most of them) would load for nothing
    from ..build.writer import atomic_write

    atomic_write(target, patch(found).encode("utf-8"))


def write_files(found: Plan) -> None:
    """The changed files written (each atomically)."""
    from ..build.writer import atomic_write  # as in ``write_patch``

    for path, (_, after) in sorted(found.texts.items()):
        atomic_write(Path(path), after.encode("utf-8"))
