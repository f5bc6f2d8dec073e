"""A fast path for plain Markdown: autolinks and bare URLs found line by line, no parser.

Parsing a note with markdown-it costs about 0.1 ms a line, a visible share of a link check of a
long list of links. Most link lists are plain lines of autolinks and bare URLs, where a line
scan finds exactly what the parser would. Anything else (code spans or blocks, brackets, HTML,
escapes, entities, emphasis markers, indented lines, odd line breaks) makes ``plain_links``
answer None, and the caller parses the text with markdown-it: the fast path only ever agrees
with the parser (``tests/test_linkcheck_fastmd.py`` compares the two).
"""

from __future__ import annotations

import re

#: an http(s) autolink whose text markdown-it keeps as its href unchanged: a lowercase scheme,
#: a host of lowercase letters, digits, dots and hyphens, then only characters that URL
#: normalization leaves alone (``%`` only as a valid escape)
_AUTOLINK = re.compile(
    r"<(https?://[a-z0-9.-]+(?::[0-9]+)?(?:[/?#](?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)?)>"
)
#: a bare URL, as the collector finds it in any text (trailing punctuation is not part of it);
#: parentheses are part of a URL only in balanced pairs (``wiki/Foo_(bar)``), so a URL written
#: in parentheses does not take the closing one
_URL_CHAR = r"[^\s<>\"'`\]\[()]"
_PARENS = rf"\({_URL_CHAR}*\)"
BARE_URL = re.compile(rf"https?://(?:{_URL_CHAR}|{_PARENS})*(?:[^\s<>\"'`\]\[().,;:!?]|{_PARENS})")
#: outside autolinks, anything that could start a construct other than plain text
#: (a tab or four spaces may start an indented code block, in a list item or a quote too)
_TRICKY = re.compile(r"[`\\\[\]<*_~\t]|&(?:#|[A-Za-z0-9]+;)| {4}")
#: line breaks that ``str.splitlines`` knows and Markdown does not (or treats differently)
_ODD_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\x00]")
#: an autolink (its URL in group 1) or a bare URL, whichever comes first
_LINK = re.compile(f"{_AUTOLINK.pattern}|{BARE_URL.pattern}")


def plain_links(text: str, first_line: int) -> list[tuple[str, int]] | None:
    """(url, file line) of every autolink and bare URL of plain ``text``, in order; None when
    the text has any construct the line scan does not handle exactly."""
    if _ODD_BREAKS.search(text):
        return None
    whole = _whole_text(text, first_line)
    return whole if whole is not None else _by_line(text, first_line)


def _by_line(text: str, first_line: int) -> list[tuple[str, int]] | None:
    """``plain_links`` line by line (blank lines, whatever they hold, passed over)."""
    found: list[tuple[str, int]] = []
    for index, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        if "<" in line:
            pieces: list[str] = []
            last = 0
            for match in _AUTOLINK.finditer(line):
                rest = line[last : match.start()]
                pieces.append(rest)
                found.extend((url, first_line + index) for url in BARE_URL.findall(rest))
                found.append((match.group(1), first_line + index))
                last = match.end()
            rest = line[last:]
            pieces.append(rest)
            if any(_TRICKY.search(piece) for piece in pieces):
                return None
            found.extend((url, first_line + index) for url in BARE_URL.findall(rest))
            continue
        if _TRICKY.search(line):
            return None
        if "http" in line:
            found.extend((url, first_line + index) for url in BARE_URL.findall(line))
    return found


def _whole_text(text: str, first_line: int) -> list[tuple[str, int]] | None:
    """``plain_links`` in one pass over the whole text (a long list of links: ≈4x faster than
    line by line). Stricter than the line scan, which passes over blank lines: None when
    anything but autolinks holds a tricky character, and the line scan decides."""
    if _TRICKY.search(_AUTOLINK.sub("\x00", text)):  # NUL: not in the text (_ODD_BREAKS)
        return None
    found: list[tuple[str, int]] = []
    line, at = first_line, 0
    for match in _LINK.finditer(text):
        start = match.start()
        line += text.count("\n", at, start)
        at = start
        found.append((match.group(1) or match.group(0), line))
    return found
