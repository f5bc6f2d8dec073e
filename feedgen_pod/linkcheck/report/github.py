"""GitHub Actions workflow commands: broken links annotate the pull request at their line."""

from __future__ import annotations

from ..types import LinkResult, Status, Summary
from .places import rows


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(results: list[LinkResult], colour: bool, failing: frozenset[Status]) -> str:
    out = []
    for source, result in rows([r for r in results if r.problem]):
        level = "error" if result.status in failing else "warning"
        title = result.kind or f"{result.status.value} link"
        message = f"{result.url} ({source.field})" + (f": {result.detail}" if result.detail else "")
        line = f",line={source.line}" if source.line else ""
        out.append(
            f"::{level} file={_prop(source.path)}{line},title={_prop(title)}::{_data(message)}"
        )
    out.append(Summary.of(results).line())
    return "\n".join(out) + "\n"
