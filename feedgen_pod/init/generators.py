"""Which static-site generator built a site, told by the files only it reads, and its settings.

- Hugo: told by ``hugo.toml`` (or ``.yaml``, ``.json``), ``config.toml`` (...) or
  ``config/_default/``; reads that file, or every file of ``config/_default/`` (``params.toml``
  goes under ``params``). Keys are case-insensitive.
- Jekyll: ``_config.yml`` (``.yaml``, ``.toml``); reads that file.
- Astro: ``astro.config.*``, Astropod by ``.astropod/`` or ``src/content/config.ts``; reads
  ``.astropod/*.json``.
- Eleventy: ``.eleventy.js`` or ``eleventy.config.*``; reads the YAML and JSON files of its data
  folder, each under its file name (``_data/podcast.yml`` gives ``podcast.title``).

``GENERATORS`` has one detector per generator, the first whose marker files exist wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .sitefiles import Settings, first_existing, read_settings

HUGO_FILES = tuple(
    f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")
)
JEKYLL_FILES = ("_config.yml", "_config.yaml", "_config.toml")
ASTRO_FILES = tuple(f"astro.config.{ext}" for ext in ("mjs", "js", "ts", "mts", "cjs"))
ELEVENTY_FILES = (
    ".eleventy.js",
    ".eleventy.cjs",
    ".eleventy.mjs",
    *(f"eleventy.config.{ext}" for ext in ("js", "cjs", "mjs", "ts")),
)
#: Hugo files in ``config/_default/`` named after a top-level section
_HUGO_SECTION_FILES = ("params", "menus", "languages", "markup", "outputs", "permalinks")


@dataclass(frozen=True)
class Generator:
    """A recognised generator: its name for people, the files that told, and its settings."""

    name: str  # hugo, jekyll, astro, eleventy
    label: str  # Hugo, Jekyll, Astro (Astropod), Eleventy
    evidence: tuple[str, ...]
    settings: Settings
    #: where the generator reads content, relative to the site root (Eleventy's dir.input)
    content_root: str = "."


def detect_generator(root: Path) -> Generator | None:
    """The generator of the site at ``root``, or None when no marker file is there."""
    for detector in GENERATORS:
        found = detector(root)
        if found is not None:
            return found
    return None


def _hugo(root: Path) -> Generator | None:
    settings = Settings(case_insensitive=True)
    main = first_existing(root, HUGO_FILES)
    default_dir = root / "config" / "_default"
    evidence: list[str] = []
    if default_dir.is_dir():
        files = sorted(
            p for p in default_dir.iterdir() if p.suffix in {".toml", ".yaml", ".yml", ".json"}
        )
        for path in files:
            data = read_settings(path, settings.notes, root)
            if data is None:
                continue
            prefix = path.stem if path.stem.lower() in _HUGO_SECTION_FILES else ""
            settings.add(data, _rel(path, root), prefix)
        if files:
            evidence.append("config/_default/")
    if main is not None:
        data = read_settings(main, settings.notes, root)
        if data is not None:
            settings.add(data, main.name)
        evidence.insert(0, main.name)
    if not evidence:
        return None
    # a Jekyll site has no hugo.toml; a `config.yml` alone is not Hugo when _config.yml is there
    jekyll = main is not None and main.stem == "config" and first_existing(root, JEKYLL_FILES)
    if jekyll and not (root / "content").is_dir():
        return None
    return Generator("hugo", "Hugo", tuple(evidence), settings)


def _jekyll(root: Path) -> Generator | None:
    main = first_existing(root, JEKYLL_FILES)
    if main is None:
        return None
    settings = Settings()
    data = read_settings(main, settings.notes, root)
    if data is not None:
        settings.add(data, main.name)
    return Generator("jekyll", "Jekyll", (main.name,), settings)


def _astro(root: Path) -> Generator | None:
    config = first_existing(root, ASTRO_FILES)
    astropod_dir = root / ".astropod"
    schema = root / "src" / "content" / "config.ts"
    if config is None and not astropod_dir.is_dir():
        return None
    evidence = [p for p in (config and config.name,) if p]
    settings = Settings()
    if astropod_dir.is_dir():
        evidence.append(".astropod/")
        for path in sorted(astropod_dir.glob("*.json")):
            data = read_settings(path, settings.notes, root)
            if data is not None:
                settings.add(data, _rel(path, root))
    if schema.is_file():
        evidence.append("src/content/config.ts")
    astropod = astropod_dir.is_dir()
    label = "Astro (Astropod)" if astropod else "Astro"
    return Generator("astro", label, tuple(evidence), settings)


_ELEVENTY_DIR = re.compile(r"""\b(input|data)\s*:\s*["'`]([^"'`]+)["'`]""")


def _eleventy(root: Path) -> Generator | None:
    config = first_existing(root, ELEVENTY_FILES)
    if config is None:
        return None
    dirs = _eleventy_dirs(config)
    content_root = dirs.get("input", ".")
    data_dir = (root / content_root / dirs.get("data", "_data")).resolve()
    settings = Settings()
    if data_dir.is_dir() and data_dir.is_relative_to(root.resolve()):
        for path in sorted(data_dir.iterdir()):
            if path.suffix.lower() not in {".yml", ".yaml", ".json"}:
                continue
            data = read_settings(path, settings.notes, root.resolve())
            if data is not None:
                settings.add(data, _rel(path, root.resolve()), path.stem)
    return Generator("eleventy", "Eleventy", (config.name,), settings, content_root)


def _eleventy_dirs(config: Path) -> dict[str, str]:
    """``dir.input`` and ``dir.data`` of an Eleventy config, read as text (it is JavaScript)."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return {}
    found: dict[str, str] = {}
    for key, value in _ELEVENTY_DIR.findall(text):
        found.setdefault(key, value)
    return found


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


#: the detectors, most specific marker first (an Astro site may carry a stray _config.yml)
GENERATORS: tuple[Callable[[Path], Generator | None], ...] = (_astro, _eleventy, _hugo, _jekyll)
