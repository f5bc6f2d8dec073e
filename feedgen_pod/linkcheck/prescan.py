"""The URLs in the episode files' notes, read from the files' text before the loader runs.

A head start for the checker, not a source of results: ``check-links`` starts these URLs while
the loader, the model and the rest of the episodes load (the model's dataclasses alone take
longer to import than a first round of requests takes to go out). The places reported, and
every other link, come from the loaded model (``collect``); a URL started here that the
collector does not find is dropped unasked when still queued (``Engine.run``).

The notes are read as the loader reads them (line endings, control characters, NFC), without
parsing the YAML; notes that are not plain Markdown (``fastmd``) are left to the collector.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..load import frontmatter
from .fastmd import plain_links


def note_urls(episodes: Path) -> Iterator[tuple[Path, list[str]]]:
    """(file, the URLs in its notes in order) for each episode file the loader would read
    (``*.md`` but drafts, by name) that has any; files that cannot be read or split, or whose
    notes are not plain Markdown, are passed over."""
    try:
        paths = sorted(episodes.glob("*.md"))
    except OSError:
        return
    for path in paths:
        if path.name.startswith("_"):
            continue
        try:
            text = frontmatter.decode(frontmatter.read_bounded(path))
            text, _ = frontmatter.strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
            _, body, body_line = frontmatter.split(text)
        except (OSError, frontmatter.FrontMatterError):
            continue
        found = plain_links(unicodedata.normalize("NFC", body), body_line)
        if found:
            yield path, [url for url, _ in found]
