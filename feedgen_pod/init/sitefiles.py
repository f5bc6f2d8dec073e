"""A site's own settings files read as plain values: TOML, YAML and JSON, each value found by a
dotted path and remembered with the file and key it came from, so the written config can say
where every inferred value was read.

Reading never fails: a file that cannot be read or parsed is recorded as a note, and the site is
detected from what remains.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..load import frontmatter

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

#: a settings file bigger than this is not a site's settings (the largest seen is ~10 KB)
MAX_SETTINGS_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Value:
    """One value of a site's settings and where it was read (``config.toml: params.x``)."""

    value: Any
    source: str


@dataclass
class Settings:
    """The merged settings of one generator's files. ``find`` looks up dotted paths;
    ``notes`` keeps what could not be read."""

    data: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    case_insensitive: bool = False

    def add(self, data: Mapping[str, Any], source: str, prefix: str = "") -> None:
        """Merge ``data`` (from the file ``source``) under ``prefix``; later files add keys."""
        if self.case_insensitive:
            data = lower_keys(data)
            prefix = prefix.lower()
        target = self.data
        for part in [p for p in prefix.split(".") if p]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                return
        _merge(target, dict(data))
        if prefix:
            self.sources[prefix] = source
        for key in data:
            self.sources[f"{prefix}.{key}" if prefix else str(key)] = source

    def find(self, *paths: str) -> Value | None:
        """The first of ``paths`` (dotted) that holds a non-empty value."""
        for path in paths:
            value = self.get(path)
            if value not in (None, "", [], {}):
                return Value(value, f"{self.source_of(path)}: {path}")
        return None

    def get(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if self.case_insensitive:
                part = part.lower()
            if not isinstance(node, Mapping) or part not in node:
                return None
            node = node[part]
        return node

    def source_of(self, path: str) -> str:
        """The file a dotted path was read from: the longest merged prefix that holds it."""
        key = path.lower() if self.case_insensitive else path
        parts = key.split(".")
        for end in range(len(parts), 0, -1):
            source = self.sources.get(".".join(parts[:end]))
            if source is not None:
                return source
        return next(iter(self.sources.values()), "settings")


def _merge(target: dict[str, Any], data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def lower_keys(data: Any) -> Any:
    """Every mapping key in lower case, as Hugo reads its settings."""
    if isinstance(data, Mapping):
        return {str(k).lower(): lower_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [lower_keys(v) for v in data]
    return data


def read_settings(path: Path, notes: list[str], root: Path | None = None) -> dict[str, Any] | None:
    """A TOML, YAML or JSON settings file as a mapping, or None with a note saying why."""
    name = _shown(path, root)
    try:
        text = frontmatter.decode(frontmatter.read_bounded(path, MAX_SETTINGS_BYTES))
    except (OSError, frontmatter.FrontMatterError) as exc:
        notes.append(f"{name}: not read ({getattr(exc, 'strerror', None) or exc})")
        return None
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix == ".json":
            data = orjson.loads(text)
        else:
            data, _, _ = frontmatter.load_yaml(text)
    except (ValueError, frontmatter.FrontMatterError) as exc:
        notes.append(f"{name}: not read, it is not valid {suffix.lstrip('.').upper()}: {exc}")
        return None
    if not isinstance(data, dict):
        notes.append(f"{name}: not read, it holds no mapping of settings")
        return None
    return data


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def first_existing(root: Path, names: Iterable[str]) -> Path | None:
    """The first of ``names`` (relative to ``root``) that is a file."""
    for name in names:
        path = root / name
        if path.is_file():
            return path
    return None
