"""Liquid and Hugo template tags in show notes: resolved where plain, else removed with a word.

A site's generator runs its templates before the page is published; our feed reads the file,
so ``{{ page.subtitle }}`` would reach listeners as it is written. The plain forms
``{{ page.x }}`` (Jekyll) and ``{{ .Params.x }}`` (Hugo) are replaced by the front matter's
``x``; every other tag (``{% include %}``, ``{{ page | filter }}``, ``{{< shortcode >}}``) is
removed and the file warned about once, at the first tag's line. ``{% raw %}`` … ``{% endraw %}``
keeps its text as written, as Liquid does.
"""

from __future__ import annotations

import re
from typing import Any

from .field_base import Context

#: what closes each kind of tag (Hugo shortcodes first: they start like plain output tags)
_CLOSERS = (("{{<", ">}}"), ("{{%", "%}}"), ("{{", "}}"), ("{%", "%}"))
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}")
_END_RAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_PLAIN = re.compile(r"\{\{-?\s*(?:page|\.Params|\.params)\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}")


def resolve_tags(body: str, data: dict[str, Any], body_line: int, ctx: Context) -> str:
    """``body`` with plain tags replaced by front matter values and the others removed.

    One pass: each kind of opening mark is looked for once past where the last was, and a tag
    whose closing marks never come is no tag (no later one of its kind is looked for again),
    so a hostile body costs linear time."""
    if "{{" not in body and "{%" not in body:
        return body
    removed: list[tuple[int, str]] = []
    lowered = {str(k).lower(): v for k, v in data.items()}
    unclosed: set[str] = set()
    raw_closes = True
    openings = _Openings(body)
    out: list[str] = []
    at = 0
    while True:
        start = openings.next(at, unclosed)
        if start == -1:
            break
        closer = next(c for o, c in _CLOSERS if body.startswith(o, start))
        end = -1 if closer in unclosed else body.find(closer, start + 2)
        if end == -1:
            unclosed.add(closer)
            continue
        end += len(closer)
        tag = body[start:end]
        out.append(body[at:start])
        at = end
        if raw_closes and _RAW.fullmatch(tag):
            close = _END_RAW.search(body, end)
            if close is not None:  # Liquid prints a raw block's text as written
                out.append(body[end : close.start()])
                at = close.end()
                continue
            raw_closes = False
        plain = _PLAIN.fullmatch(tag)
        if plain:
            name = plain.group(1)
            value = data.get(name, lowered.get(name.lower()))
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                out.append(str(value))
                continue
        if not removed:  # only the first one's line is said
            removed.append((body_line + body.count("\n", 0, start), tag))
        else:
            removed.append((0, tag))
    out.append(body[at:])
    if removed:
        line, first = removed[0]
        shown = first if len(first) <= 60 else first[:57] + "..."
        more = f" and {len(removed) - 1} more" if len(removed) > 1 else ""
        ctx.warn(
            "body",
            f"template tag {shown!r}{more} removed from the show notes (the site's generator "
            "fills it in; a feed cannot): write the text itself if listeners need it",
            line=line,
            kind="template-tag-removed",
        )
    return "".join(out)


class _Openings:
    """Where the next ``{{`` and ``{%`` are, each found again only once passed."""

    def __init__(self, body: str):
        self.body = body
        self.seen = {"{{": -2, "{%": -2}  # -2: not looked for yet

    def next(self, at: int, unclosed: set[str]) -> int:
        """The first opening at or after ``at`` whose closing marks may still come."""
        while True:
            found = []
            for mark in ("{{", "{%"):
                where = self.seen[mark]
                if where != -1 and where < at:
                    where = self.seen[mark] = self.body.find(mark, at)
                if where != -1:
                    found.append(where)
            if not found:
                return -1
            start = min(found)
            closer = next(c for o, c in _CLOSERS if self.body.startswith(o, start))
            if closer not in unclosed:
                return start
            at = start + 1  # its kind never closes again: look past it
