"""The no-change shortcut: a build that finds everything as the last build left it stops there.

A rebuild with nothing changed parses no episode and rewrites no file anyway (the cache sees
to that), but it still starts the whole pipeline: its imports alone take longer than the 5%
of a cold build a no-change rebuild may cost on a small show. So every build with the cache
leaves a stamp: its key (tool version and source, options, working directory), the SHA-256 of
every input file it read and the listing of every input folder, each file it left in
``dist/`` (size and modification time, as the cache checks them) and its report. The next
build hashes the same inputs (their bytes: modification times are never trusted for inputs),
checks the outputs and, when all match, prints the same report without loading anything else.
Anything that differs or cannot be read runs the full build, which is correct on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, Severity
from .cache import source_hash, tool_fingerprint

STAMP_NAME = "stamp.json"
#: bump when the stamp's meaning changes
STAMP_FORMAT = 1


def build_key(options: Mapping[str, object]) -> str:
    """What besides the input files decides a build's output: the tool, the options as given
    (config path, folders, flags), ``SOURCE_DATE_EPOCH`` and the working directory."""
    digest = hashlib.sha256(tool_fingerprint().encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(os.getcwd().encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Replay:
    """The report of the build the stamp describes, to print again."""

    reused: int
    skipped: int
    problems: list[Problem]


def replay(stamp: Path, key: str) -> Replay | None:
    """The last build's report when the stamp's key, inputs and outputs all still match."""
    try:
        data = json.loads(stamp.read_bytes())
        if data.get("format") != STAMP_FORMAT or data.get("key") != key:
            return None
        for folder, names in data["folders"].items():
            if sorted(os.listdir(folder)) != names:
                return None
        for path, digest in data["inputs"].items():
            if _hash(path) != digest:
                return None
        out = os.path.join(data["out"], "")
        for path, (size, mtime_ns) in data["outputs"].items():
            info = os.stat(out + path)
            if info.st_size != size or info.st_mtime_ns != mtime_ns:
                return None
        report = data["report"]
        problems = [
            Problem(path, line, field, message, Severity(severity))
            for path, line, field, message, severity in report["problems"]
        ]
        return Replay(report["reused"], report["skipped"], problems)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # unreadable, foreign or torn: the full build decides


def write(
    stamp: Path,
    key: str,
    folders: Iterable[Path],
    inputs: Iterable[Path],
    out: Path,
    outputs: Mapping[str, tuple[int, int] | None],
    replayed: Replay,
    known: Mapping[Path, str | None] | None = None,
) -> None:
    """Record a finished build (atomically: a torn stamp would only be ignored, but never
    half of one is read). ``outputs`` maps paths under ``out`` to their size and modification
    time as the build last saw them (None: look); ``known`` holds the hashes of inputs the
    build already took (each episode file's), so they are not read again."""
    known = dict(known or {})
    seen = {os.fspath(p) for p in known}
    listed = {}
    files = set(inputs)
    for folder in folders:
        if not folder.is_dir():
            continue
        names = []
        with os.scandir(folder) as entries:  # one pass: names, and files to hash
            for entry in entries:
                names.append(entry.name)
                if entry.path not in seen and entry.is_file():
                    files.add(Path(entry.path))
        listed[str(folder)] = sorted(names)
    out = out.resolve()
    prefix = os.path.join(out, "")
    recorded = {}
    for path, stat in outputs.items():
        if stat is None:
            info = os.stat(prefix + path)
            stat = (info.st_size, info.st_mtime_ns)
        recorded[path] = list(stat)
    data = {
        "format": STAMP_FORMAT,
        "key": key,
        "folders": listed,
        "inputs": {
            **{str(p): _hash(p) for p in sorted(files) if p not in known},
            **{str(p): digest for p, digest in known.items()},
        },
        "out": str(out),
        "outputs": recorded,
        "report": {
            "reused": replayed.reused,
            "skipped": replayed.skipped,
            "problems": [
                [p.path, p.line, p.field, p.message, p.severity.value] for p in replayed.problems
            ],
        },
    }
    stamp.parent.mkdir(parents=True, exist_ok=True)
    temporary = stamp.with_name(f".{stamp.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, stamp)


def forget(stamp: Path) -> None:
    """Remove a stamp that no longer describes ``dist/`` (a build that could not record one)."""
    stamp.unlink(missing_ok=True)


def _hash(path: Path | str) -> str | None:
    try:
        return source_hash(path)
    except OSError:
        return None
