"""``dist/manifest.json``: every file the tool wrote, with its hash, size and content type.

The manifest is how a later build knows which files in ``dist/`` are its own (so it removes the
files of deleted episodes and never touches anything else) and how ``publish`` knows what the
remote copy holds. It is sorted and holds no times, so two builds of the same inputs give the
same bytes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

from ..contenttypes import content_type
from ..errors import OutputError
from .writer import safe_relative

MANIFEST = "manifest.json"
VERSION = 1


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str
    content_type: str
    episode: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "content_type": self.content_type,
            "episode": self.episode,
        }


def dumps(entries: list[FileEntry]) -> bytes:
    """The manifest's bytes: sorted by path, stable key order, trailing newline."""
    files = [e.to_json() for e in sorted(entries, key=lambda e: e.path)]
    return orjson.dumps({"version": VERSION, "files": files}, option=orjson.OPT_INDENT_2) + b"\n"


def loads(data: bytes) -> dict[str, FileEntry]:
    """Entries by path; an unreadable or foreign manifest reads as empty (nothing is ours)."""
    try:
        doc = orjson.loads(data)
        files = doc["files"] if isinstance(doc, dict) else []
        out: dict[str, FileEntry] = {}
        for item in files:
            entry = FileEntry(
                str(item["path"]),
                int(item["size"]),
                str(item["sha256"]),
                str(item.get("content_type") or content_type(str(item["path"]))),
                item.get("episode"),
            )
            out[entry.path] = entry
        return out
    except (orjson.JSONDecodeError, ValueError, KeyError, TypeError):
        return {}


def read(root: Path) -> dict[str, FileEntry]:
    """The manifest in ``root`` (a dist folder), or empty when there is none."""
    try:
        return loads((root / MANIFEST).read_bytes())
    except OSError:
        return {}


def read_paths(root: Path) -> set[str]:
    """Just the paths of the manifest in ``root`` (what a build needs of the last one's:
    ``read`` makes an entry of each of a 10,000-episode show's 90,000 rows)."""
    try:
        doc = orjson.loads((root / MANIFEST).read_bytes())
        return {str(item["path"]) for item in doc["files"]}
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return set()


def discard(root: Path) -> None:
    """Remove the manifest in ``root`` when it cannot be replaced (it would list files a
    build changed or removed); a folder in its place or a read-only ``dist/`` is left as is."""
    with contextlib.suppress(OSError):
        (root / MANIFEST).unlink(missing_ok=True)


def remove_stale(root: Path, previous: Iterable[str], current: set[str]) -> list[str]:
    """Delete files the last build wrote that this build did not; returns their paths.

    Only paths in the previous manifest are candidates, so files someone else put in ``dist/``
    are never touched; emptied episode folders are removed too.
    """
    removed: list[str] = []
    resolved_root = root.resolve()
    for relative in sorted(set(previous) - current - {MANIFEST}):
        try:
            parts = safe_relative(relative).parts
        except OutputError:
            continue
        target = root.joinpath(*parts)
        if not str(target.resolve()).startswith(str(resolved_root) + os.sep):
            continue
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            continue
        removed.append(relative)
        parent = target.parent
        while parent != root and parent.resolve() != resolved_root:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return removed
