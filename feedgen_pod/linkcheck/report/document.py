"""The report as one document: every result with its verdict, history and repair.

This is what ``--format json`` writes, and what every other format is made from, so the
formats never disagree about a link. It is plain data (no clock, no files): the command
gathers the history, the suggestions and where the files can be seen, and hands them in.

Exit codes: 0 nothing fails; 1 a broken link fails the check (``FAIL_BROKEN``); 3 nothing
broken fails but an unverifiable link does (only with ``fail_on_unverifiable``); 2 is the
command line's usage or config error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..history import Health
from ..types import LinkResult, Status, Suggestion, Verdict

EXIT_OK, FAIL_BROKEN, FAIL_UNVERIFIABLE = 0, 1, 3
#: the report's sections, in order
VERDICTS = (Verdict.BROKEN, Verdict.UNVERIFIABLE, Verdict.OK, Verdict.EXCLUDED)


@dataclass(frozen=True)
class Context:
    """What the report needs besides the results."""

    #: broken checks in a row (a day apart) before a broken link fails
    fail_after: int = 1
    fail_on_unverifiable: bool = False
    #: URL → what its history says (absent: judged on this check alone)
    health: Mapping[str, Health] = field(default_factory=dict)
    #: URL → an archived replacement
    suggestions: Mapping[str, Suggestion] = field(default_factory=dict)
    #: what was done with the replacements: "" (only suggested), "patch", "written"
    repair: str = ""
    #: where the patch was written
    patch: str | None = None
    #: URLs replaced in the patch (or in the files)
    repaired: frozenset[str] = frozenset()
    #: a file's address on the web is this plus its path (``…/blob/<sha>/``), for file:line links
    blob: str | None = None


def _when(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _result(result: LinkResult, context: Context, failing: frozenset[Status]) -> dict[str, Any]:
    verdict = result.verdict
    health = context.health.get(result.url)
    suggestion = context.suggestions.get(result.url)
    repaired = result.url in context.repaired
    fails = result.status in failing and (
        verdict is not Verdict.BROKEN or health is None or health.failing
    )
    if repaired and context.repair == "written":
        fails = False  # the files link to the replacement now
    doc: dict[str, Any] = {
        "url": result.url,
        "verdict": verdict.value,
        "status": result.status.value,
        "detail": result.detail,
        **({"kind": result.kind} if result.kind else {}),
        "http_status": result.http_status,
        "final_url": result.final_url,
        "elapsed": round(result.elapsed, 3),
        "cached": result.cached,
        "failing": fails,
        "warning": verdict is Verdict.BROKEN and not fails and not repaired,
    }
    if verdict is Verdict.BROKEN:
        doc["broken_since"] = _when(health.broken_since if health else None)
        doc["broken_checks"] = health.broken_checks if health else 1
        doc["suggestion"] = (
            {"url": suggestion.url, "captured": suggestion.captured, "length": suggestion.length}
            if suggestion
            else None
        )
        doc["repaired"] = repaired
    doc["sources"] = [
        {
            "path": s.path,
            "line": s.line,
            "field": s.field,
            **({"href": _href(context.blob, s.path, s.line)} if context.blob else {}),
        }
        for s in result.sources
    ]
    return doc


def _href(blob: str, path: str, line: int) -> str:
    return blob + path.replace("\\", "/") + (f"#L{line}" if line else "")


def build(
    results: list[LinkResult],
    context: Context | None = None,
    failing: frozenset[Status] = frozenset(),
) -> dict[str, Any]:
    """The document of ``results``; ``failing``: the statuses that can fail the check."""
    context = context or Context()
    failing = frozenset(failing) or frozenset({Status.BROKEN})
    items = [_result(r, context, failing) for r in sorted(results, key=lambda r: r.url)]
    by_verdict = {v.value: 0 for v in VERDICTS}
    statuses = {s.value: 0 for s in Status}
    for item in items:
        by_verdict[item["verdict"]] += 1
        statuses[item["status"]] += 1
    failing_items = [i for i in items if i["failing"]]
    if any(i["verdict"] == Verdict.BROKEN.value for i in failing_items):
        code = FAIL_BROKEN
    elif failing_items:
        code = FAIL_UNVERIFIABLE
    else:
        code = EXIT_OK
    summary = {
        "links": len(items),
        **by_verdict,
        "failing": len(failing_items),
        "warnings": sum(1 for i in items if i["warning"]),
        "suggested": sum(1 for i in items if i.get("suggestion")),
        "repaired": sum(1 for i in items if i.get("repaired")),
    }
    return {
        "summary": summary,
        "statuses": {k: n for k, n in statuses.items() if n},
        "fail_after": context.fail_after,
        "fail_on_unverifiable": context.fail_on_unverifiable,
        "repair": {"mode": context.repair, "patch": context.patch},
        "failed": code != EXIT_OK,
        "exit_code": code,
        "results": items,
    }


def rows(doc: Mapping[str, Any], verdict: str | None = None) -> Iterator[tuple[dict, dict]]:
    """(place, result) for every place of every result (of one verdict), in file and line
    order."""
    pairs = [
        (source, item)
        for item in doc["results"]
        if verdict is None or item["verdict"] == verdict
        for source in item["sources"]
    ]
    pairs.sort(key=lambda p: (p[0]["path"], p[0]["line"], p[0]["field"], p[1]["url"]))
    return iter(pairs)


def summary_line(doc: Mapping[str, Any]) -> str:
    """``12 links: 2 broken (1 fails the check), 1 unverifiable, 9 ok``."""
    s = doc["summary"]
    parts = []
    for verdict in VERDICTS:
        n = s[verdict.value]
        if not n:
            continue
        text = f"{n} {verdict.value}"
        if verdict is Verdict.BROKEN:
            failing = sum(
                1 for i in doc["results"] if i["failing"] and i["verdict"] == verdict.value
            )
            text += f" ({failing} {'fails' if failing == 1 else 'fail'} the check)"
        parts.append(text)
    if s["suggested"]:
        parts.append(f"{s['suggested']} with an archived replacement")
    return f"{s['links']} links: " + (", ".join(parts) if parts else "none")


def since(item: Mapping[str, Any]) -> str:
    """``broken since 2024-05-01 (3 checks)``, ``first failure``, or "" without a history."""
    checks = item.get("broken_checks") or 1
    when = item.get("broken_since")
    if not when:
        return ""
    if checks <= 1:
        return "first failure"
    return f"broken since {when[:10]} ({checks} checks)"
