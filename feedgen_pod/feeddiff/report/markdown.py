"""Markdown for a CI job summary (``$GITHUB_STEP_SUMMARY``): the breaks as a table, the
changes below, long lists folded."""

from __future__ import annotations

from ..compare import Diff

#: lists longer than this are folded into a ``<details>`` block
_FOLD = 10


def _cell(text: str) -> str:
    """Text for inside backticks, in a table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _plain(text: str) -> str:
    """Text outside backticks: a title like ``<Escapes> & Co`` is no HTML tag."""
    return _cell(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    if len(lines) > _FOLD:
        return ["", f"<details><summary>{title}</summary>", "", *lines, "", "</details>"]
    return ["", f"### {title}", "", *lines]


def render(diff: Diff) -> str:
    out = [
        "## Feed diff",
        "",
        f"`{_cell(diff.old.source)}` → `{_cell(diff.new.source)}`",
        "",
        ("**" + diff.summary() + "**") if diff.failed else diff.summary(),
    ]
    if diff.breaks:
        out += ["", "| break | episode | guid | what apps will do |", "|---|---|---|---|"]
        for brk in diff.breaks:
            out.append(
                f"| `{brk.kind}` | {_plain(brk.title or 'channel')} | `{_cell(brk.guid or '')}` "
                f"| {_plain(brk.message)} |"
            )
    else:
        out += ["", "No breaks: subscribers' apps keep every episode they have."]
    out += _section(
        "Channel", [f"- {c.field}: `{_cell(c.old)}` → `{_cell(c.new)}`" for c in diff.channel]
    )
    out += _section(
        f"Added ({len(diff.added)})", [f"- {_plain(item.label)}" for item in diff.added]
    )
    out += _section(
        f"Removed ({len(diff.removed)})",
        [
            f"- {_plain(item.label)}" + (" (allowed)" if diff.is_allowed(item) else "")
            for item in diff.removed
        ],
    )
    changed = []
    for entry in diff.changed:
        changed.append(f"- {_plain(entry.new.label)}")
        changed += [f"  - {c.field}: `{_cell(c.old)}` → `{_cell(c.new)}`" for c in entry.changes]
    out += _section(f"Changed ({len(diff.changed)})", changed)
    return "\n".join(out) + "\n"
