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
        # results and sources unpacked as the named tuples they are (a quarter faster than by
        # attribute, in the time after the last answer); a status is written as its value
        "results": [
            {
                "url": url,
                "status": status,
                "detail": detail,
                "http_status": http_status,
                "final_url": final_url,
                "elapsed": round(elapsed, 3),
                "cached": cached,
                "sources": [{"path": p, "line": n, "field": f} for p, n, f in sources],
            }
            for url, sources, status, detail, http_status, final_url, elapsed, cached in sorted(
                results, key=lambda r: r.url
            )
        ],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
