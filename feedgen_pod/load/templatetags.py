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

#: every tag: Hugo shortcodes first (they nest the plain braces), Liquid raw blocks, the rest
_TAG = re.compile(
    r"\{\{<.*?>\}\}|\{\{%.*?%\}\}"
    r"|\{%-?\s*raw\s*-?%\}(?P<raw>.*?)\{%-?\s*endraw\s*-?%\}"
    r"|\{\{.*?\}\}|\{%.*?%\}",
    re.S,
)
_PLAIN = re.compile(r"\{\{-?\s*(?:page|\.Params|\.params)\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}")


def resolve_tags(body: str, data: dict[str, Any], body_line: int, ctx: Context) -> str:
    """``body`` with plain tags replaced by front matter values and the others removed."""
    if "{{" not in body and "{%" not in body:
        return body
    removed: list[tuple[int, str]] = []
    lowered = {str(k).lower(): v for k, v in data.items()}

    def one(match: re.Match) -> str:
        if match.group("raw") is not None:
            return match.group("raw")
        tag = match.group(0)
        plain = _PLAIN.fullmatch(tag)
        if plain:
            name = plain.group(1)
            value = data.get(name, lowered.get(name.lower()))
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return str(value)
        removed.append((body_line + body.count("\n", 0, match.start()), tag))
        return ""

    text = _TAG.sub(one, body)
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
    return text
