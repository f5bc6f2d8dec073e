"""JSON: every result with all its places; for scripts and dashboards."""

from __future__ import annotations

import orjson

from ..types import LinkResult, Status, Summary


def render(results: list[LinkResult], colour: bool, failing: frozenset[Status]) -> str:
    summary = Summary.of(results)
    doc = {
        "summary": {s.value: n for s, n in summary.counts.items()},
        "failed": any(r.status in failing for r in results),
        "results": [_result(r) for r in sorted(results, key=lambda r: r.url)],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"


def _result(result: LinkResult) -> dict[str, object]:
    doc: dict[str, object] = {
        "url": result.url,
        "status": result.status,
        "detail": result.detail,
        **({"kind": result.kind} if result.kind else {}),
        "http_status": result.http_status,
        "final_url": result.final_url,
        "elapsed": round(result.elapsed, 3),
        "cached": result.cached,
    }
    doc["sources"] = [{"path": s.path, "line": s.line, "field": s.field} for s in result.sources]
    return doc
