"""What ``feedgen-pod init`` will write for a site: the generator, the preset, and every config
key with its value and source, each value checked by the config's own parser so that what is
written is what ``build`` accepts. A value the site gives in a form the config refuses is
mended where the meaning is plain (``http://`` to ``https://`` for the show's own URLs, an
``en_US`` language code, an unknown Apple subcategory dropped) and said so; otherwise it
becomes a TODO.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..config import KEYS
from .convention import SIGNATURE_KEYS, Convention, detect_convention
from .generators import Generator, detect_generator
from .infer import INFER, Entry, Found
from .templates import join_url

#: where a show's episode files are searched for, by generator (relative to the site root)
SEARCH_ROOTS = {"hugo": "content", "jekyll": ".", "astro": "src/content", "eleventy": "."}
#: keys whose value must be an https URL and that name the show's own site
_OWN_URLS = ("site_url", "feed_url", "base_url", "image")
#: what each required key is, for a TODO
TODO_HELP = {key: spec.help for key, spec in KEYS.items() if spec.required}


@dataclass(frozen=True)
class Plan:
    """Everything ``init`` found, ready to be written."""

    root: Path
    generator: Generator | None
    convention: Convention
    entries: dict[str, Entry]
    todo: dict[str, str]  # required key → why it is not set
    notes: tuple[str, ...] = field(default=())

    @property
    def ready(self) -> bool:
        """Whether ``build`` can run on the written config without an edit."""
        return not self.todo


def make_plan(root: Path, overrides: Mapping[str, Any] | None = None) -> Plan:
    """Detect the site at ``root``; ``overrides`` (from the command line) win over what was
    found. Reads files only."""
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, "", [])}
    generator = detect_generator(root)
    notes: list[str] = list(generator.settings.notes) if generator else []
    search = root / (SEARCH_ROOTS.get(generator.name, ".") if generator else ".")
    if generator and generator.name == "eleventy":
        search = root / generator.content_root
    if not search.is_dir():
        search = root
    episodes = overrides.get("episodes_dir")
    convention = detect_convention(root / episodes if episodes else search, overrides.get("preset"))
    found: Found = INFER[generator.name](generator, convention, root) if generator else {}
    entries = _entries(root, convention, found)
    for key, value in overrides.items():
        entries[key] = Entry(key, value, "--" + key.replace("_", "-"))
    if "page_base_url" not in entries and "site_url" in entries:
        entries["page_base_url"] = replace(entries["site_url"], key="page_base_url")
    entries, mended = _checked(entries)
    notes += mended
    if "base_url" not in entries and "site_url" in entries:
        entries["base_url"] = Entry(
            "base_url",
            join_url(entries["site_url"].value, "podcast"),
            "a guess",
            "where you will serve dist/ (chapters, transcripts, JSON-LD); change it if you "
            "serve dist/ elsewhere",
        )
    todo = {key: TODO_HELP[key] for key in TODO_HELP if key not in entries}
    if convention.preset is None:
        todo["preset"] = (
            f"no Markdown file under {_relative(search, root)} has the keys of a known site "
            "layout: set preset and episodes_dir, or map your keys with fields: (docs/presets.md)"
        )
        todo["episodes_dir"] = "the folder of the episode files"
    return Plan(root, generator, convention, entries, todo, tuple(notes))


def _entries(root: Path, convention: Convention, found: Found) -> dict[str, Entry]:
    entries = dict(found)
    if convention.preset:
        key = SIGNATURE_KEYS[convention.preset]
        entries["preset"] = Entry(
            "preset",
            convention.preset,
            f"{convention.matched} of {convention.searched} Markdown files have {key}",
        )
    if convention.episodes_dir is not None:
        entries["episodes_dir"] = Entry(
            "episodes_dir", _relative(convention.episodes_dir, root), "the folder of those files"
        )
    return entries


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def _checked(entries: dict[str, Entry]) -> tuple[dict[str, Entry], list[str]]:
    """Each value through the config's parser; mended where plain, dropped (a TODO) otherwise."""
    out: dict[str, Entry] = {}
    notes: list[str] = []
    for key, entry in entries.items():
        spec = KEYS.get(key)
        if spec is None:
            out[key] = entry
            continue
        try:
            spec.parse(entry.value, key)
            out[key] = entry
            continue
        except ValueError as exc:
            reason = str(exc)
        mended = _mend(entry)
        if mended is not None:
            try:
                spec.parse(mended.value, key)
                out[key] = mended
                notes.append(f"{key}: {mended.note}")
                continue
            except ValueError:
                pass
        notes.append(f"{key}: {entry.value!r} from {entry.source} left out: {reason}")
    return out, notes


def _mend(entry: Entry) -> Entry | None:
    """A value put in the form the config takes, when its meaning stays the same."""
    value = entry.value
    if entry.key in _OWN_URLS and isinstance(value, str) and value.startswith("http://"):
        https = "https://" + value[len("http://") :]
        return replace(
            entry,
            value=https,
            note=f"the site says {value}; podcast apps need "
            "https://, check that the site answers there",
        )
    if entry.key == "language" and isinstance(value, str):
        code = value.replace("_", "-").strip()
        if re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", code):
            return replace(entry, value=code, note=f"{value!r} written as {code!r}")
    if entry.key == "categories" and isinstance(value, list):
        kept = [c for c in (_category(v) for v in value) if c]
        kept = list(dict.fromkeys(kept))
        if kept:
            dropped = [v for v in value if v not in kept]
            return replace(
                entry,
                value=kept,
                note=f"kept {kept}, left out {dropped} (not in Apple's list of categories)",
            )
    return None


def _category(value: str) -> str | None:
    """``Name/Sub`` when Apple lists it, else ``Name`` when Apple lists that, else None."""
    parse = KEYS["categories"].parse
    for candidate in (value, value.split("/")[0]):
        try:
            parse([candidate], "categories")
            return candidate
        except ValueError:
            continue
    return None
