"""Results kept between runs in SQLite, so CI re-checks only what may have changed.

Only good results (ok, redirected) are reused, and only until ``max_age``; broken, timed out
and unverifiable links are always checked again, so a fixed link turns green at once and a
broken one is never hidden by an old answer.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from .probe import Attempt
from .types import Status

_REUSABLE = (Status.OK, Status.REDIRECTED)
_SCHEMA = """CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, status TEXT NOT NULL, detail TEXT NOT NULL, http_status INTEGER,
    final_url TEXT, checked_at REAL NOT NULL)"""


class Cache:
    def __init__(self, path: Path, now: float | None = None):
        self.path = path
        self.now = time.time() if now is None else now
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=10)
        try:
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError:
            # not a cache we can read (corrupt, or another file): start afresh
            self._db.close()
            path.unlink()
            self._db = sqlite3.connect(str(path), timeout=10)
            self._db.execute(_SCHEMA)

    def get(self, key: str, max_age: float) -> Attempt | None:
        try:
            row = self._db.execute(
                "SELECT status, detail, http_status, final_url, checked_at FROM results "
                "WHERE key = ?",
                (key,),
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None:
            return None
        status, detail, http_status, final_url, checked_at = row
        try:
            status = Status(status)
        except ValueError:
            return None
        if status not in _REUSABLE or self.now - checked_at > max_age:
            return None
        return Attempt(status, detail, http_status, final_url)

    def put_many(self, items: Iterable[tuple[str, Attempt]]) -> None:
        rows = [
            (k, a.status.value, a.detail, a.http_status, a.final_url, self.now)
            for k, a in items
            if a.status is not None and a.status is not Status.EXCLUDED
        ]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)", rows)

    def close(self) -> None:
        self._db.close()
