"""An enclosure's file size when the front matter does not give one.

A feed's ``enclosure`` needs the audio file's size. Many sites keep only a link to the MP3,
so the size is taken, in this order, from the audio file on disk (``media_dir``, by the URL's
file name), from the sizes file that ``feedgen-pod sizes`` fills (one ``HEAD`` request per
URL, remembered by URL), and else written as 0 with a warning. The build never touches the
network itself: a build is the same on every run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from urllib.parse import unquote, urlsplit

import orjson

#: where the sizes file lives in the project (the folder of the config, or above ``config/``)
SIZES_FILE = Path(".cache") / "feedgen-pod" / "sizes.json"


def file_name(url: str) -> str:
    """The last part of the URL's path, decoded: the name the file has on disk."""
    return unquote(PurePosixPath(urlsplit(url).path).name)


def local_size(media_dir: Path | None, url: str) -> int | None:
    """The size of the audio file named like ``url`` in ``media_dir``, when it is there."""
    if media_dir is None:
        return None
    name = file_name(url)
    if not name or name in (".", ".."):
        return None
    try:
        return (media_dir / name).stat().st_size
    except OSError:
        return None


def read_sizes(path: Path | None) -> Mapping[str, int]:
    """URL → bytes from the sizes file; empty when there is none or it cannot be read."""
    if path is None:
        return MappingProxyType({})
    try:
        info = path.stat()
    except OSError:
        return MappingProxyType({})
    return _read(str(path), info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int, size: int) -> Mapping[str, int]:
    """One read per version of the file, however many episodes ask."""
    try:
        data = orjson.loads(Path(path).read_bytes())
    except (OSError, ValueError):
        return MappingProxyType({})
    if not isinstance(data, dict):
        return MappingProxyType({})
    sizes = {
        str(url): value
        for url, value in data.items()
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**13
    }
    return MappingProxyType(sizes)


def write_sizes(path: Path, sizes: Mapping[str, int]) -> None:
    """The sizes file written atomically (sorted, so it diffs well in version control)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        orjson.dumps(dict(sizes), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
    )
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".sizes-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
