"""MkDocs hook: every page under ``docs/`` is in the site's navigation.

A page the ``nav:`` of ``mkdocs.yml`` does not name is added under "More" (titled by its first
heading), so a new page is never left out of the site, and ``validation.omitted_files: warn``
only fires for files MkDocs itself would not show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _named(nav: Any) -> set[str]:
    """Every page path the nav names, however deep."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_named(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_named(v) for v in nav))
    return set()


def on_config(config: Any) -> Any:
    if config.nav is None:  # no nav at all: MkDocs lists every page itself
        return config
    docs = Path(config.docs_dir)
    named = _named(config.nav)
    extra = sorted(
        path.relative_to(docs).as_posix()
        for path in docs.rglob("*.md")
        if path.relative_to(docs).as_posix() not in named
    )
    if extra:
        config.nav.append({"More": extra})
    return config
