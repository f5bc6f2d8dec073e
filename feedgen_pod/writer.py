"""The one writer that owns ``dist/``: atomic, idempotent, and unable to escape it.

Each file is written to a temporary file beside its target and renamed over it, so an
interrupted build never leaves a half-written file. A file whose bytes did not change is not
touched (its modification time stays). A path outside the output folder, or a second output at
a path already written in this run (also one differing only in case), is an ``OutputError``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

from .errors import OutputError


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


def atomic_write(target: Path, data: bytes, parent_exists: bool = False) -> bool:
    """Write ``data`` to ``target`` atomically; False (and no write) when it already holds it."""
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    if not parent_exists:
        target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # no fsync: the rename is what makes an interrupted build safe, and an fsync per file
        # made the writer the slowest stage of a cold build (power loss is not our threat)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


class DistWriter:
    """Writes outputs under ``root`` and remembers what it wrote in this run."""

    def __init__(self, root: Path):
        self.root = root
        self._claimed: dict[str, str] = {}
        self.changed: list[str] = []
        #: the normalised path of the last ``write``
        self.last = ""
        self._root: str | None = None
        self._resolved: dict[Path, str] = {}  # folder → resolved path + separator
        self._folders: set[Path] = set()  # folders known to exist

    def _claim(self, relative: str) -> PurePosixPath:
        path = safe_relative(relative)
        self._claim_key(str(path))
        return path

    def _claim_key(self, key: str) -> None:
        folded = key.casefold()
        if folded in self._claimed:
            raise OutputError(
                f"two outputs at {key!r} (also {self._claimed[folded]!r}); rename one episode file"
            )
        self._claimed[folded] = key

    def keep(self, relative: str) -> None:
        """Claim a path whose file a previous build wrote and this one reuses untouched."""
        # a plain path is its own normal form: no PurePosixPath for each of the show's files
        parts = relative.split("/")
        if any(p in ("", ".", "..") for p in parts) or "\\" in relative or "\x00" in relative:
            self._claim(relative)
        else:
            self._claim_key(relative)

    def adopt(self, relative: str, changed: bool) -> None:
        """Claim a path another writer (a worker's, under the same root) just wrote."""
        self.keep(relative)
        if changed:
            self.changed.append(relative)

    def write(self, relative: str, data: bytes) -> bool:
        """Write ``data`` at ``relative`` (normalised into ``last``); False when unchanged."""
        path = self._claim(relative)
        key = str(path)
        self.last = key
        target = self.root.joinpath(*path.parts)
        if not self._inside(target):
            raise OutputError(f"refusing to write {relative!r}: it resolves outside {self.root}")
        changed = atomic_write(target, data, parent_exists=target.parent in self._folders)
        self._folders.add(target.parent)
        if changed:
            self.changed.append(key)
        return changed

    def _inside(self, target: Path) -> bool:
        """Whether ``target`` resolves (symbolic links followed) inside the output folder.

        A folder is resolved once per build (an episode's ten files share one); a target that
        is itself a link is resolved whole. ``os.replace`` swaps a link, never follows it.
        """
        if self._root is None:
            self._root = str(self.root.resolve()) + os.sep
        folder = self._resolved.get(target.parent)
        if folder is None:
            folder = self._resolved[target.parent] = str(target.parent.resolve()) + os.sep
        if os.path.islink(target):
            return str(target.resolve()).startswith(self._root)
        return folder.startswith(self._root)

    @property
    def written(self) -> list[str]:
        """Every path written (or confirmed unchanged) in this run, sorted."""
        return sorted(self._claimed.values())
