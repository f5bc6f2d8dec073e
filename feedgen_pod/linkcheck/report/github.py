"""GitHub Actions workflow commands: broken links, and only they, annotate the pull request at
their line: an error when the link fails the check, a warning while it may still come back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .document import rows, since, summary_line


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(doc: Mapping[str, Any], colour: bool = False) -> str:
    out = []
    for source, item in rows(doc, "broken"):
        level = "error" if item["failing"] else "warning"
        title = f"{item['status']} link" + (f" ({item['kind']})" if item.get("kind") else "")
        notes = [n for n in (item["detail"], since(item)) if n]
        message = f"{item['url']} ({source['field']})" + (f": {'; '.join(notes)}" if notes else "")
        if item.get("suggestion"):
            message += f"\nreplacement: {item['suggestion']['url']}"
        line = f",line={source['line']}" if source["line"] else ""
        out.append(
            f"::{level} file={_prop(source['path'])}{line},title={_prop(title)}::{_data(message)}"
        )
    out.append(summary_line(doc))
    return "\n".join(out) + "\n"
