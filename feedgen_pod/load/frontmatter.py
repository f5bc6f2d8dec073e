"""Split a Markdown file into front matter and body, and parse the front matter safely.

YAML is what episode files use; TOML (``+++``) and JSON (``{``) front matter, as Hugo sites
have it, are read by ``frontmatter_formats``.

The front matter is the YAML between the ``---`` line that opens the file and the next line that
is exactly ``---``; a ``---`` inside a value (``Career---Pastor``) is not a delimiter. Parsing
keeps the line of every field, so messages and the link checker can point at it, and refuses
what would hurt later: object-constructing tags (the safe loader), duplicate keys, and alias
bombs whose expansion explodes when the data is serialised again.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .frontmatter_formats import load_toml, split_json, split_toml
from .yaml_nodes import CONTROL, FrontMatterError, has_controls, load_nodes

#: input files bigger than this are refused unread (the largest real episode is ~100 KB)
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """A parsed Markdown file: its front matter, body, and where things stand."""

    data: dict[str, Any]
    body: str
    #: 1-based line in the file where the body starts
    body_line: int
    #: dotted field path → 1-based line in the file
    lines: dict[str, int]
    #: findings that do not stop parsing (duplicate keys), as (line, field, message)
    warnings: tuple[tuple[int, str, str], ...] = ()
    #: repaired mistakes the author must fix (control characters removed), as (line, message)
    errors: tuple[tuple[int, str], ...] = ()
    #: the text of numbers YAML 1.1 reads unlike they look (``episode: 010`` is 8), by field
    raw: dict[str, str] = field(default_factory=dict)
    #: the front matter's syntax: ``yaml``, ``toml`` or ``json``
    syntax: str = "yaml"


def read_bounded(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; never reads more than that.

    A FIFO or device (``/dev/zero``) would block or never end, and a 50 MB file is a mistake
    or an attack, not an episode: both are a FrontMatterError. OSError passes through.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise FrontMatterError("not a regular file; point to a text file")
    if info.st_size > limit:
        raise FrontMatterError(_too_big(info.st_size, limit))
    with open(path, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # the file grew while we looked
        raise FrontMatterError(_too_big(len(raw), limit))
    return raw


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {size / 1048576:.1f} MB, more than the {limit // 1048576} MB limit; "
        "split it or remove what does not belong"
    )


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is dropped); report the byte offset's line when it is not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FrontMatterError(
            f"the file is not UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start}); "
            "save it as UTF-8",
            line=line,
        ) from None


def split(text: str) -> tuple[str, str, int]:
    """Return (yaml text, body, body line). Raises FrontMatterError without front matter.

    The YAML is closed by the first line that is ``---`` or ``...`` (YAML's end of document,
    which Jekyll accepts too)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("---\n") and text.rstrip() != "---":
        raise FrontMatterError(
            "no front matter: the file must start with a line '---', then YAML, then '---'",
            line=1,
        )
    # the closing line starts with ``---``: only those lines are looked at (the front matter
    # is most of an episode file, thousands of lines)
    at, end = _closing_line(text, "\n---", len(text))
    dots, dots_end = _closing_line(text, "\n...", len(text) if at == -1 else at)
    if dots != -1:
        at, end = dots, dots_end
    if at != -1:
        return text[4:at], text[end + 1 :], text.count("\n", 0, at + 1) + 2
    raise FrontMatterError(
        "front matter is not closed: add a line '---' after the YAML",
        line=text.count("\n") + 1,
    )


def _closing_line(text: str, marker: str, stop: int) -> tuple[int, int]:
    """Where the first line that is ``marker`` (trailing white space allowed) starts before
    ``stop`` (the newline before it), and where that line ends; (-1, -1) when none does."""
    at = text.find(marker, 3, stop)
    while at != -1:
        end = text.find("\n", at + 1)
        if end == -1:
            end = len(text)
        if text[at + 1 : end].rstrip() == marker[1:]:
            return at, end
        at = text.find(marker, end, stop)
    return -1, -1


def strip_controls(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Remove control characters (a raw NUL makes YAML fail and XML invalid); say where."""
    if not has_controls(text):
        return text, []
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        chars = sorted(set(CONTROL.findall(line)))
        if chars:
            names = ", ".join(f"U+{ord(c):04X}" for c in chars)
            what = "it" if len(chars) == 1 else "them"
            s_ = "s" if len(chars) > 1 else ""
            found.append(
                (number, f"control character{s_} {names} removed; delete {what} from the file")
            )
    return CONTROL.sub("", text), found


def remove_controls(text: str, where: str, field: str | None) -> tuple[str, list[Problem]]:
    """``strip_controls`` for line files (timestamp lists, raw captions): CRLF read as LF, and
    a problem at ``where`` for each line that had control characters."""
    text, found = strip_controls(text.replace("\r\n", "\n"))
    return text, [
        Problem(where, number, field, message, kind="yaml-invalid") for number, message in found
    ]


def read_text(
    path: Path, where: str, field: str | None, what: str = "cannot read"
) -> str | Problem:
    """A bounded UTF-8 text file, or the problem that says why it cannot be read."""
    try:
        return decode(read_bounded(path))
    except OSError as exc:
        return Problem(where, None, field, f"{what}: {exc.strerror}", kind="file-unreadable")
    except FrontMatterError as exc:
        return Problem(where, exc.line, field, exc.message, kind="yaml-invalid")


def parse(text: str) -> Document:
    """Parse a whole Markdown file with front matter into a Document: YAML between ``---``
    lines, TOML between ``+++`` lines, or a JSON object that opens the file."""
    text, errors = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
    if text.startswith("+++"):
        toml_text, body, body_line = split_toml(text)
        data, lines = load_toml(toml_text, 2)
        return Document(data, body, body_line, lines, (), tuple(sorted(errors)), syntax="toml")
    if text.startswith("{"):
        data, body, body_line, lines = split_json(text)
        return Document(data, body, body_line, lines, (), tuple(sorted(errors)), syntax="json")
    yaml_text, body, body_line = split(text)
    raw: dict[str, str] = {}
    data, lines, warnings = load_nodes(yaml_text, 2, errors, raw)
    if data is None:
        raise FrontMatterError("front matter is empty", line=2)
    if not isinstance(data, dict):
        raise FrontMatterError(
            f"front matter must be a mapping of keys to values, not a {type(data).__name__}",
            line=2,
        )
    return Document(data, body, body_line, lines, tuple(warnings), tuple(sorted(errors)), raw)


def load_yaml(
    yaml_text: str, first_line: int = 1
) -> tuple[Any, dict[str, int], list[tuple[int, str, str]]]:
    """Load YAML with the safe (C) loader, returning (data, field lines, warnings)."""
    errors: list[tuple[int, str]] = []
    data, lines, warnings = load_nodes(yaml_text, first_line, errors)
    return data, lines, warnings + [(line, "", message) for line, message in errors]
