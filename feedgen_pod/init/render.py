"""The plan as a commented YAML config: each key under a line that says where its value came
from, grouped as a reader looks for them, and a ``# TODO`` with the commented-out key for every
required value the site did not give."""

from __future__ import annotations

from typing import Any

import yaml

from .plan import Plan

#: the config's keys in the order they are written, by group
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "The show",
        (
            "title",
            "description",
            "language",
            "image",
            "author",
            "owner_name",
            "owner_email",
            "categories",
            "explicit",
            "copyright",
        ),
    ),
    ("Where things are served", ("site_url", "feed_url", "base_url", "page_base_url", "media_url")),
    ("The episode files", ("preset", "episodes_dir", "content_dir", "permalink", "timezone")),
)
#: an example for each required key the site did not give
_EXAMPLES = {
    "title": "My Podcast",
    "description": "What the show is about, in a sentence or two.",
    "site_url": "https://example.com",
    "feed_url": "https://example.com/feed.xml",
    "base_url": "https://example.com/podcast",
    "language": "en",
    "author": "Jane Doe",
    "owner_name": "Jane Doe",
    "owner_email": "podcast@example.com",
    "image": "https://example.com/cover.jpg",
    "categories": ["Technology"],
    "preset": "flat",
    "episodes_dir": "content/episodes",
}


def render(plan: Plan) -> str:
    """The config file's text."""
    site = plan.generator.label if plan.generator else "static"
    lines = [
        f"# feedgen-pod settings for this {site} site, written by `feedgen-pod init`.",
        "# Each value says where in the site's own files it was found. feedgen-pod only reads",
        "# the site's files; it never changes them. Keys: docs/init.md and docs/presets.md.",
    ]
    if plan.todo:
        lines.append(f"# {len(plan.todo)} TODO line(s) below need a value before the first build.")
    written = set()
    for title, keys in GROUPS:
        block = []
        for key in keys:
            written.add(key)
            block += _key_lines(plan, key)
        if block:
            lines += ["", f"# --- {title} ---", *block]
    rest = [k for k in plan.entries if k not in written]
    if rest:
        lines += ["", "# --- Set on the command line ---"]
        for key in rest:
            lines += _key_lines(plan, key)
    return "\n".join(lines) + "\n"


def _key_lines(plan: Plan, key: str) -> list[str]:
    entry = plan.entries.get(key)
    if entry is not None:
        out = [f"# {entry.source}"]
        if entry.note:
            out.append(f"# {entry.note}")
        return out + _dump(key, entry.value)
    if key in plan.todo:
        example = _dump(key, _EXAMPLES.get(key, ""))
        return [f"# TODO: not found in the site's files. {plan.todo[key]}"] + [
            f"# {line}" for line in example
        ]
    return []


def _dump(key: str, value: Any) -> list[str]:
    text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=92)
    return text.rstrip("\n").splitlines()
