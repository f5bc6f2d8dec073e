"""JSON: every result with all its places; for scripts and dashboards.

One result per line: readable, and written by json's C encoder (an indented dump goes through
the pure-Python one, a visible share of a whole check's time with thousands of links).
"""

from __future__ import annotations

import json

from ..types import LinkResult, Status, Summary


def render(results: list[LinkResult], colour: bool, failing: frozenset[Status]) -> str:
    summary = Summary.of(results)
    dump = json.JSONEncoder(ensure_ascii=False).encode
    items = [
        dump(
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
        )
        for r in sorted(results, key=lambda r: r.url)
    ]
    head = {
        "summary": {s.value: n for s, n in summary.counts.items()},
        "failed": any(r.status in failing for r in results),
    }
    lines = [f'  "{k}": {dump(v)},' for k, v in head.items()]
    body = ",\n    ".join(items)
    return (
        "{\n"
        + "\n".join(lines)
        + '\n  "results": ['
        + (f"\n    {body}\n  " if items else "")
        + "]\n}\n"
    )
