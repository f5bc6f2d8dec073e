"""Plain text grouped by file, with line numbers; colour only when writing to a terminal."""

from __future__ import annotations

from ..types import LinkResult, Status, Summary
from .places import rows

_COLOURS = {
    Status.BROKEN: "31",
    Status.TIMEOUT: "35",
    Status.UNVERIFIABLE: "33",
    Status.REDIRECTED: "36",
    Status.OK: "32",
    Status.EXCLUDED: "2",
}


def render(results: list[LinkResult], colour: bool, failing: frozenset[Status]) -> str:
    def paint(status: Status) -> str:
        label = f"{status.value:<12}"
        return f"\x1b[{_COLOURS[status]}m{label}\x1b[0m" if colour else label

    out: list[str] = []
    current = None
    for source, result in rows([r for r in results if r.problem]):
        if source.path != current:
            current = source.path
            out.append(("" if not out else "\n") + source.path)
        detail = f"  {result.detail}" if result.detail else ""
        out.append(
            f"  {source.line:>5}  {paint(result.status)} {result.url}  ({source.field}){detail}"
        )
    if out:
        out.append("")
    out.append(Summary.of(results).line())
    return "\n".join(out) + "\n"
