"""GitHub Actions workflow commands: each break an ``::error``, each intended removal a
``::notice``; a break in a local feed file points at its line."""

from __future__ import annotations

from ..compare import Diff


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(diff: Diff) -> str:
    out = []
    for brk in diff.breaks:
        source = diff.old.source if brk.feed == "old" else diff.new.source
        place = ""
        if "://" not in source:
            place = f"file={_prop(source)}" + (f",line={brk.line}," if brk.line else ",")
        out.append(
            f"::error {place}title={_prop(brk.kind)}::{_data(brk.label)}: {_data(brk.message)}"
        )
    for item in diff.removed:
        if diff.is_allowed(item):
            out.append(f"::notice title=removed (allowed)::{_data(item.label)}")
    out.append(diff.summary())
    return "\n".join(out) + "\n"
