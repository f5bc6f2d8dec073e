"""Plain text: broken, then unverifiable, then the rest, each grouped by file with line
numbers; colour only when writing to a terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .document import rows, since, summary_line

_COLOURS = {
    "broken": "31",
    "timeout": "35",
    "unverifiable": "33",
    "redirected": "36",
    "ok": "32",
    "excluded": "2",
}
_SECTIONS = (
    ("broken", "Broken"),
    ("unverifiable", "Unverifiable (the site does not let a checker see the page)"),
    ("ok", "Redirected (works; update the link)"),
)


def render(doc: Mapping[str, Any], colour: bool = False) -> str:
    def paint(status: str) -> str:
        label = f"{status:<12}"
        return f"\x1b[{_COLOURS[status]}m{label}\x1b[0m" if colour else label

    out: list[str] = []
    for verdict, title in _SECTIONS:
        lines: list[str] = []
        current = None
        for source, item in rows(doc, verdict):
            if item["status"] == "ok":
                continue
            if source["path"] != current:
                current = source["path"]
                lines.append(f"  {current}")
            notes = [item["detail"]] if item["detail"] else []
            if item["verdict"] == "broken":
                notes.append(since(item))
                if item["warning"]:
                    notes.append("a warning until it stays broken")
            detail = "; ".join(n for n in notes if n)
            lines.append(
                f"  {source['line']:>5}  {paint(item['status'])} {item['url']}  "
                f"({source['field']})" + (f"  {detail}" if detail else "")
            )
            if item.get("suggestion"):
                done = " (replaced)" if item.get("repaired") else ""
                lines.append(f"{'':20}replacement{done}: {item['suggestion']['url']}")
        if lines:
            out += [*([""] if out else []), title, *lines]
    if out:
        out.append("")
    out.append(summary_line(doc))
    return "\n".join(out) + "\n"
