"""A fast reader for a transcript's YAML: a top-level block list of flat mappings.

The transcript is most of an episode file (often thousands of lines) and nearly always has the
shape PyYAML writes: ``- key: value`` items whose values are plain or quoted scalars folded
over more-indented lines. Reading that one shape directly costs a fraction of composing YAML
nodes for it, and the transcript is the largest part of every build's parsing. Anything
outside the shape (comments, tabs, blank lines inside a value, escapes, nested values, tags,
duplicate keys, values YAML would read as anything but text, whole numbers or null) gives
None, and the caller lets PyYAML read the whole file. For what it accepts the result (values,
their types, line numbers) is PyYAML's: the tests compare both on every corpus file and on
generated lists.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yaml.resolver import Resolver

#: PyYAML's implicit types by first character (``yes`` is a bool, ``12`` an int, ``~`` null)
_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers
_INT, _NULL = "tag:yaml.org,2002:int", "tag:yaml.org,2002:null"
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
#: a plain scalar may not start with these (YAML indicators; ``-x`` is legal but left to YAML)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: first characters of a plain value that YAML may read as something other than text
_TYPED_LEADS = frozenset(k for k in _RESOLVERS if k)
#: ``_TYPED_LEADS`` as one string, for the C reader
_LEADS = "".join(sorted(_TYPED_LEADS))
#: first characters that make a one-line value more than plain text (quotes, indicators, types)
_SPECIAL_LEADS = _INDICATORS | _TYPED_LEADS
#: characters that make lines or the stream read differently (tabs, Unicode line breaks, BOM)
_AWKWARD = "\t\x85\u2028\u2029\ufeff"


_FAST: Callable[..., tuple[list[dict[str, Any]], dict[str, int], int] | None] | None
if os.environ.get("FEEDGEN_POD_PURE_PYTHON"):  # the reference alone, for tests and debugging
    _FAST = None
else:
    try:  # ``_read`` in C (feedgen_pod/load/_listfast.c), built at install with a compiler
        from ._listfast import read as _FAST
    except ImportError:  # none: the same items, more slowly
        _FAST = None


class _Unsure(Exception):
    """Outside the shape this reader knows: PyYAML reads the file instead."""


@dataclass(frozen=True)
class Block:
    """A list cut out of YAML text: the text with the list's lines left blank (so every other
    line keeps its number), the list's items, and 0-based lines of ``N`` and ``N.key``."""

    text: str
    key_line: int
    items: list[dict[str, Any]]
    lines: dict[str, int]


def cut(yaml_text: str, key: str) -> Block | None:
    """The top-level ``key:`` list read directly, or None when PyYAML must read it."""
    head = f"{key}:"
    if yaml_text.startswith(head):
        start = 0
    else:
        start = yaml_text.find(f"\n{head}") + 1
        if start == 0:
            return None
    # each character searched for on its own: five scans of the text at memory speed cost
    # a fortieth of one regular expression's walk through it
    if yaml_text.find(f"\n{head}", start) != -1 or any(c in yaml_text for c in _AWKWARD):
        return None
    newline = yaml_text.find("\n", start)
    if newline == -1 or yaml_text[start:newline].rstrip(" ") != head:
        return None
    key_line = yaml_text.count("\n", 0, start)
    rest = yaml_text[newline + 1 :]
    body = rest + "\n"
    try:
        # the C reader gives what ``_read`` gives, or None where ``_read`` must decide
        got = _FAST(body, key_line + 1, _typed, _LEADS) if _FAST is not None else None
        items, lines, end = got if got is not None else _read(body, key_line + 1)
    except _Unsure:
        return None
    if not items:
        return None
    blanked = "\n" * rest.count("\n", 0, end) + rest[end:]
    return Block(yaml_text[: newline + 1] + blanked, key_line, items, lines)


@functools.lru_cache(maxsize=8)
def _entry(indent: int) -> re.Pattern[str]:
    """One key of a list item at ``indent`` (``- key:`` starts an item, ``key:`` two columns
    in continues it), its value's first line and the value's more-indented lines."""
    return re.compile(
        rf"(?: *\n)*{' ' * indent}(- |  )([A-Za-z_][A-Za-z0-9_]*):(?: +([^\n]*))?\n"
        rf"((?:{' ' * (indent + 3)} *[^ \n][^\n]*\n)*)"
    )


def _read(body: str, first: int) -> tuple[list[dict[str, Any]], dict[str, int], int]:
    """Items, their 0-based lines, and where in ``body`` the list ends."""
    indent = len(body) - len(body.lstrip(" "))
    if not body.startswith("- ", indent):
        raise _Unsure
    items: list[dict[str, Any]] = []
    lines: dict[str, int] = {}
    item: dict[str, Any] = {}
    index = ""
    pos, line = 0, first
    count = body.count
    for match in _entry(indent).finditer(body):
        start = match.start(1) - indent
        if start != pos:
            if match.start() != pos:
                break
            line += count("\n", pos, start)
        dash, key, value, more = match.groups()
        if dash == "- ":
            item = {}
            index = str(len(items))
            items.append(item)
            lines[index] = line
        elif not items:
            raise _Unsure
        if key in item or (key[0] in _TYPED_LEADS and _typed(key) is not key):
            raise _Unsure
        lines[f"{index}.{key}"] = line
        if more:
            item[key] = _value(value, more)
            line += 1 + count("\n", match.start(4), match.end())
        else:
            line += 1
            if value and value[0] not in _SPECIAL_LEADS and not (": " in value or " #" in value):
                value = value.rstrip(" ")
                if value[-1] != ":":
                    item[key] = value
                    pos = match.end()
                    continue
            item[key] = _value(value, more)
        pos = match.end()
    after = body[_BLANKS.match(body, pos).end() :]
    if after and after[0] in " #-":  # neither the end nor the next top-level key
        raise _Unsure
    return items, lines, pos


def _value(first: str | None, more: str) -> Any:
    """A scalar as PyYAML reads it, from its first line and its more-indented lines."""
    if not first or not first.strip(" "):
        if more:
            raise _Unsure  # a nested list or mapping
        return None
    raw = f"{first}\n{more}".rstrip(" \n") if more else first.rstrip(" ")
    lead = raw[0]
    if lead == "'":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Unsure
        return _fold(inner).replace("''", "'") if more else inner.replace("''", "'")
    if lead == '"':
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != '"' or '"' in inner or "\\" in inner:
            raise _Unsure
        return _fold(inner) if more else inner
    if lead in _INDICATORS or ": " in raw or " #" in raw or raw[-1] == ":":
        raise _Unsure
    if more:
        if ":\n" in raw or _NOT_PLAIN_LINE.search(raw):
            raise _Unsure
        raw = _FOLD.sub(" ", raw)
    return _typed(raw) if lead in _TYPED_LEADS else raw


_BLANKS = re.compile(r"(?: *\n)*")
#: a line that cannot continue a plain value: a comment or a list/complex-key indicator
_NOT_PLAIN_LINE = re.compile(r"\n *(?:#|[-?](?: |$))", re.M)
#: a line break and the spaces around it fold into one space
_FOLD = re.compile(r" *\n *")


def _fold(text: str) -> str:
    return _FOLD.sub(" ", text)


def _typed(value: str) -> Any:
    """The value as PyYAML types a plain scalar: text, a whole number or null; else unsure."""
    for tag, pattern in _RESOLVERS.get(value[0], ()):
        if pattern.match(value):
            if tag == _INT and _PLAIN_INT.fullmatch(value):
                return int(value)
            if tag == _NULL:
                return None
            raise _Unsure
    return value
