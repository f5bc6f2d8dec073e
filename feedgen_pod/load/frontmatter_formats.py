"""TOML (``+++``) and JSON (``{``) front matter, as Hugo writes them, with each field's line.

``tomllib`` (``tomli`` before Python 3.11) and ``json`` read the values; neither tells where a
key stands, so a light scan of the same text gives each field's line (dotted as the YAML
loader gives them: ``params.author``). JSON front matter ends where its outermost object
closes, as Hugo reads it (not at the first line that is ``}``).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from .yaml_nodes import LINE_DEPTH, FrontMatterError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def split_toml(text: str) -> tuple[str, str, int]:
    """(TOML text, body, body line) of a file that starts with a ``+++`` line."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "+++":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise FrontMatterError(
        "front matter is not closed: add a line '+++' after the TOML", line=len(lines)
    )


def load_toml(toml_text: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """The TOML's values and the line of each key (``first_line`` is the TOML's first)."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) + first_line - 1 if match else first_line
        raise FrontMatterError(f"TOML does not parse: {exc}", line=line) from None
    except RecursionError:
        raise FrontMatterError("TOML is nested too deeply", line=first_line) from None
    return data, toml_lines(toml_text, first_line)


#: a TOML table header (``[params]``, ``[[Menu.Main]]``), or the key before a ``=``
_TABLE = re.compile(r"\[\[?\s*((?:[^\]\"']|\"[^\"]*\"|'[^']*')+?)\s*\]\]?\s*(?:#.*)?$")
_BARE_OR_QUOTED = r"(?:[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
_KEY = re.compile(rf"({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=\s*(.*)$")
_PART = re.compile(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)")


def _dotted(key: str) -> str:
    return ".".join(a or b or c for a, b, c in _PART.findall(key))


def toml_lines(toml_text: str, first_line: int) -> dict[str, int]:
    """Dotted key → line, for keys and tables up to ``LINE_DEPTH`` deep (first one wins)."""
    lines: dict[str, int] = {}
    table = ""
    closing = ""  # the delimiter of a multi-line string being skipped
    for number, line in enumerate(toml_text.split("\n"), start=first_line):
        if closing:
            if closing in line:
                closing = ""
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEY.match(stripped)
        if match is None:
            header = _TABLE.match(stripped)
            if header:
                table = _dotted(header.group(1)) + "."
                _record(lines, table[:-1], number)
            continue
        _record(lines, table + _dotted(match.group(1)), number)
        value = match.group(2)
        for quotes in ('"""', "'''"):
            if value.startswith(quotes) and value.count(quotes) == 1:
                closing = quotes
    return lines


def _record(lines: dict[str, int], path: str, number: int) -> None:
    if path and path.count(".") < LINE_DEPTH:
        lines.setdefault(path, number)


def split_json(text: str) -> tuple[dict[str, Any], str, int, dict[str, int]]:
    """(values, body, body line, field lines) of a file that starts with ``{``."""
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise FrontMatterError(f"JSON front matter does not parse: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise FrontMatterError("JSON front matter is nested too deeply", line=1) from None
    if not isinstance(data, dict):  # pragma: no cover - a text starting with { is an object
        raise FrontMatterError("JSON front matter must be an object", line=1)
    head = text[:end]
    rest = text[end:]
    newline = rest.find("\n")
    body = "" if newline == -1 else rest[newline + 1 :]
    body_line = head.count("\n") + (2 if newline != -1 else 1)
    return data, body, body_line, json_lines(head)


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,\n]|[^\s{}\[\]:,"]+')


def json_lines(text: str) -> dict[str, int]:
    """Dotted key → line of a JSON object's keys (array items by index), ``LINE_DEPTH`` deep."""
    lines: dict[str, int] = {}
    line = 1
    #: per open container: its path prefix, and the next array index (None for an object)
    stack: list[tuple[str, int | None]] = []
    pending = ""  # the last string seen in an object: a key if a ':' follows
    path = ""  # the path of the value being read
    item = ""  # an array item's path, recorded at the line where the item starts
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
            continue
        if item and token != "]":
            _record(lines, item, line)
        item = ""
        if token in "{[":
            prefix = path + "." if path else ""
            stack.append((prefix, 0 if token == "[" else None))
            if token == "[":
                path = item = prefix + "0"
        elif token in "}]":
            if stack:
                stack.pop()
        elif token == ":":
            prefix = stack[-1][0] if stack else ""
            path = prefix + json.loads(pending)
            _record(lines, path, line)
        elif token == ",":
            if stack and (index := stack[-1][1]) is not None:
                prefix = stack[-1][0]
                stack[-1] = (prefix, index + 1)
                path = item = f"{prefix}{index + 1}"
        else:
            pending = token
    return lines
