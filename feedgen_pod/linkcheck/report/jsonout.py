"""JSON: every result with all its places; for scripts and dashboards.

Written by orjson (already a dependency, for JSON-LD): the same bytes as ``json.dumps(indent=2,
ensure_ascii=False)``, whose indenting falls back to the pure-Python encoder, 20 ms or so of a
check with thousands of links.
"""

from __future__ import annotations

import orjson

from ..types import LinkResult, Status, Summary


def render(results: list[LinkResult], colour: bool, failing: frozenset[Status]) -> str:
    summary = Summary.of(results)
    doc = {
        "summary": {s.value: n for s, n in summary.counts.items()},
        "failed": any(r.status in failing for r in results),
        "results": [
            {
                "url": r.url,
                "status": r.status.value,
                "detail": r.detail,
                "http_status": r.http_status,
                "final_url": r.final_url,
                "elapsed": round(r.elapsed, 3),
                "cached": r.cached,
                "sources": [{"path": s.path, "line": s.line, "field": s.field} for s in r.sources],
            }
            for r in sorted(results, key=lambda r: r.url)
        ],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
