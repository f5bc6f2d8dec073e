"""The build cache: what each episode file produced last time, keyed by content.

An entry is reused only when the episode file's bytes, every input it read (its guests' and the
hosts' profiles, its timestamp list, its raw captions) and the build's global key (config, tool
version and source, format registry, CLI overrides) all hash the same as when it was built, and
its files in ``dist/`` are still the ones written (size and modification time). Modification
times alone are never trusted to say an input is unchanged: every input is hashed.

An entry is stored only for an episode whose every file was written: one with a file that
could not be written (disk full, read-only, a folder in the way) has its entry dropped, so the
next build, once the cause is gone, builds it and writes what is missing.

The cache is a folder of small pickles under ``.cache/`` (local, written by us, safe to
delete); an unreadable or foreign entry is ignored and that episode is built from scratch.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import Problem, Severity, write_failure
from .writer import atomic_write

if TYPE_CHECKING:  # the model is not needed to read the cache's own records (start-up time)
    from ..model import Audio, Episode

CACHE_FORMAT = 3
CACHE_NAME = "feedgen-pod"


def default_cache_dir(out: Path) -> Path:
    """``.cache/feedgen-pod`` in the project that holds the output folder."""
    return out.resolve().parent / ".cache" / CACHE_NAME


def hash_bytes(data: bytes) -> str:
    """SHA-256 hex digest: the one hash of cache keys, ``manifest.json`` and ``publish``."""
    return hashlib.sha256(data).hexdigest()


def source_hash(path: Path | str) -> str:
    """An input file's key: its path (problems and summaries name it) and its bytes.
    OSError when it cannot be read."""
    name = os.fspath(path)
    with open(name, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(name.encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()


def hash_file(path: Path) -> str | None:
    """SHA-256 of a file's bytes, None when it cannot be read (a missing input is a state too)."""
    try:
        return hash_bytes(path.read_bytes())
    except OSError:
        return None


@cache
def tool_fingerprint() -> str:
    """The tool's version plus a hash of its own source, so an edited tool invalidates
    caches."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent  # feedgen_pod/, not only build/
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
    #: the episode as the show-level files read it (``derive.listing``; None: file skipped)
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


class BuildCache:
    """One small pickle per episode (and one for the show files) under a folder named by the
    global key: a rebuild reads only what it needs, a one-episode change writes one file, and
    a changed config or tool simply starts a new folder (the old one is removed).

    ``directory`` None means no cache at all (``--no-cache``): nothing is read or written.
    """

    def __init__(self, directory: Path | None, global_key: str):
        self.global_key = global_key
        self.root = directory
        self.directory = directory / global_key[:32] if directory is not None else None
        self.show: ShowEntry | None = None
        self._show_dirty = False
        self._made = False  # the episodes folder exists (made by the first put_episode)
        #: why the cache could not be written (disk full, read-only): said once, as a warning
        self.unwritable: Problem | None = None
        if self.directory is not None:
            loaded = _load(self.directory / "show.pickle")
            self.show = loaded if isinstance(loaded, ShowEntry) else None

    def _episode_file(self, slug: str) -> Path:
        assert self.directory is not None
        return self.directory / "episodes" / f"{slug}.pickle"

    def episode(self, slug: str) -> Entry | None:
        if self.directory is None:
            return None
        loaded = _load(self._episode_file(slug))
        return loaded if isinstance(loaded, Entry) else None

    def put_episode(self, slug: str, entry: Entry) -> None:
        if self.directory is not None and self.unwritable is None:
            self._made = self._save(self._episode_file(slug), entry, self._made)

    def forget_episode(self, slug: str) -> None:
        """Drop an episode's entry: one of its files could not be written, so it is built
        again next time (an entry is only ever kept for an episode whose every file is in
        ``dist/``)."""
        if self.directory is not None:
            with contextlib.suppress(OSError):  # an unwritable cache keeps nothing new anyway
                self._episode_file(slug).unlink(missing_ok=True)

    def put_show(self, entry: ShowEntry) -> None:
        self.show = entry
        self._show_dirty = True

    def forget_show(self) -> None:
        """Drop the show files' entry (one of them could not be written)."""
        self.show = None
        self._show_dirty = False
        if self.directory is not None:
            with contextlib.suppress(OSError):
                (self.directory / "show.pickle").unlink(missing_ok=True)

    def keep_only(self, slugs: set[str]) -> None:
        """Forget episodes that are gone, and caches of other configs or tool versions."""
        if self.directory is None or self.root is None:
            return
        folder = self.directory / "episodes"
        if folder.is_dir():
            for path in folder.glob("*.pickle"):
                if path.name.removesuffix(".pickle") not in slugs:
                    with contextlib.suppress(OSError):  # a read-only cache is only not kept tidy
                        path.unlink(missing_ok=True)
        if self.root.is_dir():
            for other in self.root.iterdir():
                if other.is_dir() and other != self.directory and len(other.name) == 32:
                    shutil.rmtree(other, ignore_errors=True)

    def save(self) -> None:
        if self.directory is not None and self._show_dirty and self.show is not None:
            self._save(self.directory / "show.pickle", self.show, False)
            self._show_dirty = False

    def _save(self, path: Path, value: object, folder_exists: bool) -> bool:
        """Write one entry; a failed write stops the cache (not the build: the cache only
        saves time), remembered as a warning. True when the entry was written."""
        if self.unwritable is not None:
            return False
        try:
            _save(path, value, folder_exists)
        except OSError as exc:
            failure = write_failure(path, exc)
            self.unwritable = replace(
                failure,
                message=f"the build cache cannot be written ({failure.message.split(';')[0]}); "
                "the build went on without it and the next one starts cold",
                severity=Severity.WARNING,
                kind="cache-unwritable",
            )
            return False
        return True


def _save(path: Path, value: object, folder_exists: bool = False) -> None:
    data = pickle.dumps((CACHE_FORMAT, value), protocol=pickle.HIGHEST_PROTOCOL)
    atomic_write(path, data, parent_exists=folder_exists)


def _load(path: Path) -> object | None:
    try:
        with open(path, "rb") as handle:
            version, value = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign pickle is just a cold entry
        return None
    return value if version == CACHE_FORMAT else None


def outputs_intact(root: Path, outputs: list[OutputRecord]) -> bool:
    """True when every recorded file is still in ``dist/`` as it was written."""
    # plain strings: a rebuild checks every file of the show
    prefix = os.path.join(root, "")
    for record in outputs:
        try:
            st = os.stat(prefix + record.path)
        except OSError:
            return False
        if st.st_size != record.size or st.st_mtime_ns != record.mtime_ns:
            return False
    return True


def record_output(root: Path, path: str, data: bytes, digest: str | None = None) -> OutputRecord:
    st = os.stat(root / path)
    return OutputRecord(path, len(data), digest or hash_bytes(data), st.st_mtime_ns)
