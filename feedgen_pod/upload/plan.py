"""An upload's plan and its outcome as values, and the three ways to print them.

Each target turns the built episodes into ``Action``s before it calls anything: what it would
create, update or leave, what it skips (edited on the host, over the day's budget, no match)
and what each costs. ``--dry-run`` prints the plan; a real run prints the same list with each
action's result.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

import orjson

from ..net import clean_text

#: the report formats of a plan or an outcome
FORMATS = ("text", "json", "markdown")
#: verbs that send something
WRITES = frozenset({"create", "update"})
#: verbs that are a problem for the run's exit code
FAILURES = frozenset({"failed"})


@dataclass(frozen=True)
class Action:
    """One kind (transcript, chapters, description) of one episode at one target."""

    target: str
    slug: str
    kind: str
    #: create, update, unchanged, edited-remotely, deferred, unmatched, missing, failed
    verb: str
    #: YouTube units, or requests for the hosts
    cost: int = 0
    detail: str = ""
    #: the text before and after, where a person should see the change (YouTube descriptions)
    before: str = ""
    after: str = ""

    def done(self, verb: str | None = None, detail: str = "") -> Action:
        return replace(self, verb=verb or self.verb, detail=detail or self.detail)


def summary(actions: Sequence[Action]) -> str:
    counts = Counter(action.verb for action in actions)
    parts = [f"{n} {verb}" for verb, n in sorted(counts.items())]
    return ", ".join(parts) if parts else "nothing to do"


def render(actions: Sequence[Action], fmt: str, *, dry_run: bool, unit: str) -> str:
    """The plan (``dry_run``) or the outcome as text, JSON or Markdown."""
    if fmt == "json":
        doc = {
            "dry_run": dry_run,
            "cost_unit": unit,
            "cost": sum(a.cost for a in actions if a.verb in WRITES or a.verb == "read"),
            "actions": [asdict(a) for a in actions],
        }
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
    if fmt == "markdown":
        return _markdown(actions, dry_run=dry_run, unit=unit)
    return _text(actions, dry_run=dry_run, unit=unit)


def _text(actions: Sequence[Action], *, dry_run: bool, unit: str) -> str:
    lines = []
    for a in actions:
        cost = f" ({a.cost} {unit})" if a.cost else ""
        detail = f": {clean_text(a.detail)}" if a.detail else ""
        would = "would " if dry_run and a.verb in WRITES else ""  # not "would failed"
        lines.append(f"{a.target} {a.slug} {a.kind}: {would}{a.verb}{cost}{detail}")
        if dry_run and a.before != a.after:
            lines += _diff_lines(a.before, a.after, indent="    ")
    lines.append(f"{'plan' if dry_run else 'done'}: {summary(actions)}")
    return "\n".join(lines) + "\n"


def _markdown(actions: Sequence[Action], *, dry_run: bool, unit: str) -> str:
    title = "Upload plan" if dry_run else "Upload"
    rows = [
        f"## {title}",
        "",
        f"| episode | kind | action | {unit} | detail |",
        "|---|---|---|---|---|",
    ]
    for a in actions:
        detail = clean_text(a.detail).replace("|", "\\|")
        rows.append(f"| `{a.slug}` | {a.kind} | {a.verb} | {a.cost or ''} | {detail} |")
    for a in actions:
        if dry_run and a.before != a.after:
            rows += ["", f"<details><summary>{a.slug}: description</summary>", "", "```diff"]
            rows += _diff_lines(a.before, a.after, indent="")
            rows += ["```", "", "</details>"]
    rows += ["", f"**{summary(actions)}**", ""]
    return "\n".join(rows)


def _diff_lines(before: str, after: str, indent: str) -> list[str]:
    diff = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=1
    )
    return [indent + clean_text(line) for line in diff]
