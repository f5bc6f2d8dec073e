"""Which preset fits a site: its Markdown files are read (front matter only, never written) and
each is matched against the keys that only one podcast convention uses.

| preset | an episode file has |
|---|---|
| ``castanet`` | ``podcast_file`` |
| ``jekyll-podcast`` | ``podcast_link`` |
| ``astropod`` | ``audioUrl`` |
| ``octopod`` | ``audio:`` a mapping of file names by format (``mp3``, ``m4a``, ``ogg``, ``opus``) |
| ``datatalksclub`` | ``audio:`` a mapping with ``url``, or ``ids``/``transcript`` |
| ``flat`` | ``file``, ``fileName``, ``link`` or ``audiofile`` |

The preset with the most matching files wins; the episodes folder is the deepest folder that
holds all of its files.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load import frontmatter

#: Markdown extensions the generators read
EXTENSIONS = frozenset({".md", ".markdown", ".mkd", ".mkdn", ".mkdown"})
#: folders never searched: output, dependencies, caches
SKIPPED_DIRS = frozenset(
    {"node_modules", "_site", "dist", "public", "resources", "vendor", "build", "out", ".git"}
)
#: how many Markdown files are looked at, at most (a site has hundreds)
MAX_FILES = 5_000
#: an episode file bigger than this is not read for its keys
MAX_FILE_BYTES = 1024 * 1024
_OCTOPOD_FORMATS = {"mp3", "m4a", "ogg", "opus"}
_FLAT_KEYS = {"file", "filename", "link", "audiofile"}


def _lower(data: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in data.items()}


def _castanet(data: Mapping[str, Any]) -> bool:
    return "podcast_file" in _lower(data)


def _jekyll_podcast(data: Mapping[str, Any]) -> bool:
    return "podcast_link" in data


def _astropod(data: Mapping[str, Any]) -> bool:
    return "audioUrl" in data


def _octopod(data: Mapping[str, Any]) -> bool:
    audio = data.get("audio")
    return isinstance(audio, Mapping) and bool(_OCTOPOD_FORMATS & set(map(str, audio)))


def _datatalksclub(data: Mapping[str, Any]) -> bool:
    audio = data.get("audio")
    return (isinstance(audio, Mapping) and "url" in audio) or "ids" in data or "transcript" in data


def _flat(data: Mapping[str, Any]) -> bool:
    return bool(_FLAT_KEYS & set(_lower(data)))


#: preset → test of one file's front matter; earlier entries win a file that two would match
SIGNATURES: tuple[tuple[str, Callable[[Mapping[str, Any]], bool]], ...] = (
    ("castanet", _castanet),
    ("jekyll-podcast", _jekyll_podcast),
    ("astropod", _astropod),
    ("octopod", _octopod),
    ("datatalksclub", _datatalksclub),
    ("flat", _flat),
)
#: the front matter key that tells each preset, for messages
SIGNATURE_KEYS = {
    "castanet": "podcast_file",
    "jekyll-podcast": "podcast_link",
    "astropod": "audioUrl",
    "octopod": "audio: {mp3, m4a, ...}",
    "datatalksclub": "audio: {url}",
    "flat": "file / fileName / link / audiofile",
}


@dataclass(frozen=True)
class Convention:
    """What the episode files say: the preset, its folder, and how many files told."""

    preset: str | None
    episodes_dir: Path | None
    matched: int  # files of the chosen preset
    searched: int  # Markdown files read
    votes: tuple[tuple[str, int], ...]  # every preset that matched a file, most first
    unreadable: int = 0


def markdown_files(root: Path, limit: int = MAX_FILES) -> Iterator[Path]:
    """Markdown files under ``root`` in name order, without hidden, output or dependency folders."""
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(files):
            if Path(name).suffix.lower() in EXTENSIONS:
                yield Path(folder) / name
                count += 1
                if count >= limit:
                    return


def front_matter(path: Path) -> dict[str, Any] | None:
    """The file's front matter as a mapping; None when it cannot be read or has none."""
    try:
        text = frontmatter.decode(frontmatter.read_bounded(path, MAX_FILE_BYTES))
        data = frontmatter.parse(text).data
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data else None


def preset_of(data: Mapping[str, Any]) -> str | None:
    """The preset whose signature the front matter ``data`` carries, if any."""
    for name, test in SIGNATURES:
        if test(data):
            return name
    return None


def detect_convention(search_root: Path, preset: str | None = None) -> Convention:
    """The preset of the episode files under ``search_root`` (or the files of ``preset``)."""
    by_preset: dict[str, list[Path]] = {}
    searched = unreadable = 0
    for path in markdown_files(search_root):
        searched += 1
        if path.name.startswith("_index."):  # a Hugo section page is never an episode
            continue
        data = front_matter(path)
        if data is None:
            unreadable += 1
            continue
        name = preset_of(data)
        if name is not None:
            by_preset.setdefault(name, []).append(path)
    votes = Counter({name: len(files) for name, files in by_preset.items()})
    ranked = tuple(votes.most_common())
    chosen = preset or (ranked[0][0] if ranked else None)
    files = by_preset.get(chosen or "", [])
    folder = _common_folder(files) if files else None
    return Convention(chosen, folder, len(files), searched, ranked, unreadable)


def _common_folder(files: list[Path]) -> Path:
    """The deepest folder holding every file."""
    parts = [p.parent.parts for p in files]
    common: list[str] = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return Path(*common)
