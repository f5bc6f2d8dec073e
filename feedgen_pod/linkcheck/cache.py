"""Results kept between runs in SQLite, so CI re-checks only what may have changed.

Three tables. ``results``: the last result of each link; only good ones (ok, redirected) are
reused, and only until ``max_age``, so a fixed link turns green at once and a broken one is
never hidden by an old answer. ``history``: each link's verdict at every check, so a link is
called dead only when it stays dead (``history.judge``). ``answers``: what slow or rate-limited
APIs answered (the Wayback Machine's CDX), reused until their own age limit.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from .probe import Attempt
from .types import Status, Verdict

_REUSABLE = (Status.OK, Status.REDIRECTED)
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, status TEXT NOT NULL, detail TEXT NOT NULL, http_status INTEGER,
    final_url TEXT, checked_at REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS history (
    key TEXT NOT NULL, checked_at REAL NOT NULL, verdict TEXT NOT NULL, detail TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS history_key ON history (key, checked_at)",
    """CREATE TABLE IF NOT EXISTS answers (
    query TEXT PRIMARY KEY, answer BLOB NOT NULL, fetched_at REAL NOT NULL)""",
)
#: history older than this is dropped (a link's story over a year is plenty)
HISTORY_DAYS = 400
#: checks of one link read back (the newest): more than any ``fail_after`` needs
HISTORY_ROWS = 100


class Cache:
    def __init__(self, path: Path, now: float | None = None):
        self.path = path
        self.now = time.time() if now is None else now
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=10)
        try:
            self._create()
        except sqlite3.DatabaseError:
            # not a cache we can read (corrupt, or another file): start afresh
            self._db.close()
            path.unlink()
            self._db = sqlite3.connect(str(path), timeout=10)
            self._create()

    def _create(self) -> None:
        with self._db:
            for statement in _SCHEMA:
                self._db.execute(statement)

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

    # -- history -----------------------------------------------------------------------------

    def past(self, keys: Iterable[str]) -> dict[str, list[tuple[float, Verdict]]]:
        """Each key's earlier checks, newest first: (when, verdict)."""
        out: dict[str, list[tuple[float, Verdict]]] = {}
        query = (
            "SELECT checked_at, verdict FROM history WHERE key = ? ORDER BY checked_at DESC LIMIT ?"
        )
        for key in keys:
            rows = []
            for checked_at, verdict in self._db.execute(query, (key, HISTORY_ROWS)):
                try:
                    rows.append((float(checked_at), Verdict(verdict)))
                except ValueError:
                    continue  # a verdict this version does not know: skipped
            out[key] = rows
        return out

    def record(self, items: Iterable[tuple[str, Verdict, str]], when: float | None = None) -> None:
        """This check's verdict of each key (``when`` defaults to the cache's now)."""
        at = self.now if when is None else when
        rows = [(k, at, v.value, detail) for k, v, detail in items if v is not Verdict.EXCLUDED]
        with self._db:
            self._db.executemany("INSERT INTO history VALUES (?, ?, ?, ?)", rows)
            self._db.execute(
                "DELETE FROM history WHERE checked_at < ?", (at - HISTORY_DAYS * 86400,)
            )

    # -- answers of APIs ---------------------------------------------------------------------

    def answer(self, query: str, max_age: float) -> bytes | None:
        """A stored API answer to ``query`` younger than ``max_age`` seconds."""
        try:
            row = self._db.execute(
                "SELECT answer, fetched_at FROM answers WHERE query = ?", (query,)
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or self.now - row[1] > max_age:
            return None
        return bytes(row[0])

    def keep_answer(self, query: str, answer: bytes) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (query, answer, self.now)
            )

    def close(self) -> None:
        self._db.close()
