"""Markdown for a job summary (``$GITHUB_STEP_SUMMARY``): counts, then a table of problems."""

from __future__ import annotations

from ..types import LinkResult, Status, Summary
from .places import rows


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render(results: list[LinkResult], colour: bool, failing: frozenset[Status]) -> str:
    summary = Summary.of(results)
    out = ["## Link check", "", summary.line(), ""]
    problems = list(rows([r for r in results if r.problem]))
    if problems:
        out += ["| status | where | field | link | detail |", "|---|---|---|---|---|"]
        for source, result in problems:
            status = (
                f"**{result.status.value}**" if result.status in failing else result.status.value
            )
            out.append(
                f"| {status} | `{_cell(source.path)}:{source.line}` | {source.field} | "
                f"<{_cell(result.url)}> | {_cell(result.detail)} |"
            )
    else:
        out.append("No problems found.")
    return "\n".join(out) + "\n"
