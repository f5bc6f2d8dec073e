"""The one writer that owns ``dist/``: atomic, idempotent, and unable to escape it.

Each file is written to a temporary file beside its target and renamed over it, so an
interrupted build never leaves a half-written file. A file whose bytes did not change is not
touched (its modification time stays). A path outside the output folder, or a second output at
a path already written in this run (also one differing only in case), is an ``OutputError``.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path, PurePosixPath

from ..errors import OutputError, write_failure


def safe_relative(relative: str) -> PurePosixPath:
    """Validate an output path: relative, no ``..``, no empty or hidden-escape parts."""
    path = PurePosixPath(relative)
    if (
        path.is_absolute()
        or not path.parts
        or any(p in ("..", "") for p in path.parts)
        or "\\" in relative
        or "\x00" in relative
    ):
        raise OutputError(f"refusing to write {relative!r}: outside the output folder")
    return path


def atomic_write(target: Path | str, data: bytes, parent_exists: bool = False) -> bool:
    """Write ``data`` to ``target`` atomically; False (and no write) when it already holds it."""
    path = os.fspath(target)
    try:
        info = os.stat(path)
    except OSError:
        info = None
    if info is not None and _holds(path, info, data):
        return False
    if not parent_exists:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    _replace(path, data)
    return True


def _holds(path: str, info: os.stat_result, data: bytes) -> bool:
    """Whether the file at ``path`` (``info`` its stat) holds exactly ``data``."""
    if info.st_size != len(data) or not stat.S_ISREG(info.st_mode):
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _replace(path: str, data: bytes) -> None:
    """A temporary file beside ``path``, filled and renamed over it.

    The temporary's name is the target's and this process's (workers write different
    folders); one left by a crashed process with the same number makes way for a random name.
    No fsync: the rename is what makes an interrupted build safe, and an fsync per file made
    the writer the slowest stage of a cold build (power loss is not our threat).
    """
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, _CREATE, 0o600)
    except FileExistsError:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fchmod(fd, 0o644)  # the same mode on every machine, whatever the umask
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


#: what makes a path other than its own normal form: an empty, ``.`` or ``..`` part (``a//b``,
#: ``./a``, ``a/..``, the empty path), a backslash or a NUL
_ODD_PATH = re.compile(r"(?:^|/)\.{0,2}(?:/|$)|[\\\x00]")

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


class DistWriter:
    """Writes outputs under ``root`` and remembers what it wrote in this run."""

    def __init__(self, root: Path):
        self.root = root
        self._claimed: dict[str, str] = {}
        self.changed: list[str] = []
        #: the normalised path of the last ``write``
        self.last = ""
        self._root: str | None = None  # the resolved root and a separator
        self._folders: dict[str, str] = {}  # folder → its path and a separator, checked

    def _normal(self, relative: str) -> str:
        """The path's normal form (``a//b`` is ``a/b``), refused when it leaves the folder."""
        # a plain path is its own normal form: no PurePosixPath for each of the show's files
        if _ODD_PATH.search(relative) is not None:
            return str(safe_relative(relative))
        return relative

    def _claim_key(self, key: str) -> None:
        folded = key.casefold()
        if folded in self._claimed:
            raise OutputError(
                f"two outputs at {key!r} (also {self._claimed[folded]!r}); rename one episode file"
            )
        self._claimed[folded] = key

    def keep(self, relative: str) -> None:
        """Claim a path whose file a previous build wrote and this one reuses untouched."""
        self._claim_key(self._normal(relative))

    def adopt(self, relative: str, changed: bool) -> None:
        """Claim a path another writer (a worker's, under the same root) just wrote."""
        self.keep(relative)
        if changed:
            self.changed.append(relative)

    def write(self, relative: str, data: bytes) -> bool:
        """Write ``data`` at ``relative`` (normalised into ``last``); False when unchanged.
        A failed write (disk full, read-only folder) is an ``OutputError`` saying what to do;
        the file is as it was."""
        key = self._normal(relative)
        self._claim_key(key)
        self.last = key
        try:
            return self._write(key, relative, data)
        except OSError as exc:
            raise OutputError(write_failure(os.path.join(self.root, key), exc)) from None

    def _write(self, key: str, relative: str, data: bytes) -> bool:
        folder, _, name = key.rpartition("/")
        target = self._folder(folder, relative) + name
        try:
            info: os.stat_result | None = os.lstat(target)
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISLNK(info.st_mode):
            # ``os.replace`` swaps a link, never follows it; one leading out is still refused
            if not os.path.realpath(target).startswith(self._root_prefix()):
                raise self._outside(relative)
            changed = atomic_write(target, data, parent_exists=True)
        elif info is not None and _holds(target, info, data):
            changed = False
        else:
            _replace(target, data)
            changed = True
        if changed:
            self.changed.append(key)
        return changed

    def _outside(self, relative: str) -> OutputError:
        return OutputError(f"refusing to write {relative!r}: it resolves outside {self.root}")

    def _root_prefix(self) -> str:
        if self._root is None:
            self._root = os.path.realpath(self.root) + os.sep
        return self._root

    def _folder(self, folder: str, relative: str) -> str:
        """``root/folder/``, checked to resolve (symbolic links followed) inside the output
        folder and created, once per build: an episode's ten files share one."""
        known = self._folders.get(folder)
        if known is None:
            path = os.path.join(os.fspath(self.root), folder) if folder else os.fspath(self.root)
            if not (os.path.realpath(path) + os.sep).startswith(self._root_prefix()):
                raise self._outside(relative)
            os.makedirs(path, exist_ok=True)
            known = self._folders[folder] = path + os.sep
        return known

    @property
    def written(self) -> list[str]:
        """Every path written (or confirmed unchanged) in this run, sorted."""
        return sorted(self._claimed.values())
