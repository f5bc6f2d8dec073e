"""JSON: the whole comparison, for scripts; breaks carry their stable ``kind``."""

from __future__ import annotations

from typing import Any

import orjson

from ..compare import Change, Diff
from ..read import Item


def _item(item: Item) -> dict[str, Any]:
    return {
        "title": item.title,
        "guid": item.guid,
        "line": item.line,
        "enclosure_url": item.enclosure_url,
        "pubDate": item.published_text,
    }


def _changes(changes: tuple[Change, ...]) -> list[dict[str, str]]:
    return [{"field": c.field, "old": c.old, "new": c.new} for c in changes]


def render(diff: Diff) -> str:
    doc = {
        "old": {"source": diff.old.source, "items": len(diff.old.items)},
        "new": {"source": diff.new.source, "items": len(diff.new.items)},
        "failed": diff.failed,
        "summary": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
            "breaks": len(diff.breaks),
        },
        "breaks": [
            {
                "kind": b.kind,
                "title": b.title,
                "guid": b.guid,
                "feed": b.feed,
                "line": b.line,
                "message": b.message,
            }
            for b in diff.breaks
        ],
        "channel": _changes(diff.channel),
        "added": [_item(i) for i in diff.added],
        "removed": [{**_item(i), "allowed": diff.is_allowed(i)} for i in diff.removed],
        "changed": [{**_item(c.new), "changes": _changes(c.changes)} for c in diff.changed],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
