"""Plain text for a terminal or a CI log: what changed, then the breaks, then one summary line."""

from __future__ import annotations

from ..compare import Break, Diff


def _where(brk: Break) -> str:
    """``'Title' (guid x), old feed line 12``: the item of a break, which feed and where."""
    if brk.item is None:
        return "channel"
    return f"{brk.label}, {brk.feed} feed" + (f" line {brk.line}" if brk.line else "")


def render(diff: Diff) -> str:
    out = [f"feed diff: {diff.old.source} → {diff.new.source}"]
    if diff.channel:
        out += ["", "channel:"]
        out += [f"  {c.field}: {c.old} → {c.new}" for c in diff.channel]
    if diff.added:
        out += ["", f"added ({len(diff.added)}):"]
        out += [f"  + {item.label}" for item in diff.added]
    if diff.removed:
        out += ["", f"removed ({len(diff.removed)}):"]
        out += [
            f"  - {item.label}" + ("  (allowed)" if diff.is_allowed(item) else "")
            for item in diff.removed
        ]
    if diff.changed:
        out += ["", f"changed ({len(diff.changed)}):"]
        for changed in diff.changed:
            out.append(f"  ~ {changed.new.label}")
            out += [f"      {c.field}: {c.old} → {c.new}" for c in changed.changes]
    if diff.breaks:
        out += ["", f"breaks ({len(diff.breaks)}):"]
        for brk in diff.breaks:
            out.append(f"  {brk.kind}: {_where(brk)}: {brk.message}")
    out += ["", diff.summary()]
    return "\n".join(out) + "\n"
