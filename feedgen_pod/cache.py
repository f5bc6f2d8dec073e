"""The build cache: what each episode file produced last time, keyed by content.

An entry is reused only when the episode file's bytes, every input it read (its guests' and the
hosts' profiles, its timestamp list, its raw captions) and the build's global key (config, tool
version and source, format registry, CLI overrides) all hash the same as when it was built, and
its files in ``dist/`` are still the ones written (size and modification time). Modification
times alone are never trusted to say an input is unchanged: every input is hashed.

The cache is a single pickle under ``.cache/`` (local, written by us, safe to delete); an
unreadable or foreign cache is ignored and the build starts from scratch.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import __version__
from .errors import Problem
from .model import Audio, Episode

CACHE_FORMAT = 1
CACHE_FILE = "build.pickle"


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> str | None:
    """SHA-256 of a file's bytes, None when it cannot be read (a missing input is a state too)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@cache
def tool_fingerprint() -> str:
    """The tool's version plus a hash of its own source, so an edited tool invalidates caches."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class OutputRecord:
    """One file written to ``dist/``: enough to check it is still there and to list it."""

    path: str
    size: int
    sha256: str
    mtime_ns: int


@dataclass
class Entry:
    """What one episode file produced."""

    source_hash: str
    #: input name (``person:key``, ``file:/abs/path``) → its hash when the episode was built
    deps: dict[str, str | None]
    #: the episode without its transcript (None when the file was skipped)
    summary: Episode | None
    #: the audio the file itself declared, before the host feed or media folder were consulted
    declared_audio: Audio | None
    problems: list[Problem]
    outputs: list[OutputRecord] = field(default_factory=list)


@dataclass
class ShowEntry:
    key: str
    problems: list[Problem]
    outputs: list[OutputRecord]


@dataclass
class CacheData:
    global_key: str = ""
    episodes: dict[str, Entry] = field(default_factory=dict)
    show: ShowEntry | None = None


class BuildCache:
    """Load, consult and save the cache; ``directory`` None means no cache at all."""

    def __init__(self, directory: Path | None, global_key: str):
        self.directory = directory
        self.global_key = global_key
        self.data = CacheData(global_key)
        self.dirty = False
        if directory is not None:
            loaded = _load(directory / CACHE_FILE)
            if loaded is not None and loaded.global_key == global_key:
                self.data = loaded
            else:
                self.dirty = True

    def episode(self, slug: str) -> Entry | None:
        return self.data.episodes.get(slug)

    def put_episode(self, slug: str, entry: Entry) -> None:
        self.data.episodes[slug] = entry
        self.dirty = True

    def keep_only(self, slugs: set[str]) -> None:
        """Forget episodes that are gone, so the cache does not grow forever."""
        gone = set(self.data.episodes) - slugs
        for slug in gone:
            del self.data.episodes[slug]
        self.dirty = self.dirty or bool(gone)

    def put_show(self, entry: ShowEntry) -> None:
        self.data.show = entry
        self.dirty = True

    def save(self) -> None:
        """Write the cache atomically, and only when something in it changed."""
        if self.directory is None or not self.dirty:
            return
        from .writer import atomic_write

        self.directory.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps((CACHE_FORMAT, self.data), protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(self.directory / CACHE_FILE, payload)
        self.dirty = False


def _load(path: Path) -> CacheData | None:
    try:
        with open(path, "rb") as handle:
            version, data = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign pickle is just a cold cache
        return None
    if version != CACHE_FORMAT or not isinstance(data, CacheData):
        return None
    return data


def outputs_intact(root: Path, outputs: list[OutputRecord]) -> bool:
    """True when every recorded file is still in ``dist/`` as it was written."""
    for record in outputs:
        try:
            st = os.stat(root / record.path)
        except OSError:
            return False
        if st.st_size != record.size or st.st_mtime_ns != record.mtime_ns:
            return False
    return True


def record_output(root: Path, path: str, data: bytes, digest: str | None = None) -> OutputRecord:
    st = os.stat(root / path)
    return OutputRecord(path, len(data), digest or hash_bytes(data), st.st_mtime_ns)
