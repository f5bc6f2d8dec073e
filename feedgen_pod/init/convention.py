"""Which preset fits a site: its Markdown files are read (front matter only, never written) and
each is matched by the key its audio comes from in each preset's table (``load.presets``):
``podcast_file`` for Castanet, ``podcast_link`` for the Jekyll podcast feed, ``audioUrl`` for
Astropod, ``audio.mp3`` (…) for Octopod, ``file``/``fileName``/``link``/``audiofile`` for the
flat set. This project's own layout (``datatalksclub``, read without a table) is told by
``audio.url``, ``ids`` or ``transcript``.

The preset with the most matching files wins; the episodes folder is the deepest folder that
holds all of them.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load import frontmatter
from ..load.names import MARKDOWN_EXTENSIONS
from ..load.presets import PRESETS

#: folders never searched: output, dependencies, caches
SKIPPED_DIRS = frozenset(
    {"node_modules", "_site", "dist", "public", "resources", "vendor", "build", "out", ".git"}
)
#: how many Markdown files are looked at, at most (a site has hundreds)
MAX_FILES = 5_000
#: an episode file bigger than this is not read for its keys
MAX_FILE_BYTES = 1024 * 1024
#: the presets in the order a file is tried: the generic ones last
ORDER = (
    *(name for name in PRESETS if name not in {"datatalksclub", "flat"}),
    "datatalksclub",
    "flat",
)


def _audio_keys(name: str) -> tuple[str, ...]:
    """The front matter keys a preset takes the audio from (its ``audio.url`` row)."""
    preset = PRESETS.get(name)
    if preset is None:  # this project's layout: ``audio: {url}``
        return ("audio.url", "ids", "transcript")
    return preset.fields["audio.url"].keys


def _has(data: Mapping[str, Any], key: str, case_insensitive: bool) -> bool:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, Mapping):
            return False
        if case_insensitive:
            node = {str(k).lower(): v for k, v in node.items()}
            part = part.lower()
        if part not in node:
            return False
        node = node[part]
    return True


def preset_of(data: Mapping[str, Any]) -> str | None:
    """The preset whose audio key the front matter ``data`` carries, if any."""
    for name in ORDER:
        preset = PRESETS.get(name)
        folded = preset is not None and preset.case_insensitive
        if any(_has(data, key, folded) for key in _audio_keys(name)):
            return name
    return None


#: the front matter keys that tell each preset, for messages
SIGNATURE_KEYS = {name: " / ".join(_audio_keys(name)) for name in ORDER}


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
            if Path(name).suffix.lower() in MARKDOWN_EXTENSIONS:
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
