"""The feed a site already publishes: its generator's feed template, found among the site's files,
and the URL its ``atom:link rel="self"`` gives once the template's simple expressions
(``{{ site.url }}``, ``{{ podcast.feedPath }}``, ``{{ "episode/index.xml" | absURL }}``) are
replaced by the site's settings.

Subscribers' apps know the show by that URL, so the new feed must keep it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .convention import SKIPPED_DIRS, front_matter

#: files that may be a feed template, by name
_SUFFIXES = (".xml", ".rss", ".njk", ".liquid", ".html", ".11ty.js")
#: how many candidate files are opened, at most
MAX_TEMPLATES = 2_000
_MAX_BYTES = 512 * 1024
_ATOM_SELF = re.compile(r"<atom:link\b[^>]*>", re.IGNORECASE)
#: the href of a tag, its value allowed to hold quotes of template code (``"{{ "x" | absURL }}"``)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"(.*?)"|'(.*?)')(?=\s+[\w:-]+\s*=|\s*/?>)""")
_REL_SELF = re.compile(r"""\brel\s*=\s*["']self["']""")
_EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_QUOTED_ABSURL = re.compile(r"""^["'`]([^"'`]*)["'`]\s*\|\s*(absURL|absLangURL|relURL)$""")


@dataclass(frozen=True)
class FeedTemplate:
    """A template that writes an RSS feed: its file, its self link as written, and its
    ``permalink`` front matter."""

    path: Path
    self_link: str | None
    permalink: str | None


def feed_templates(root: Path) -> Iterator[FeedTemplate]:
    """Every file under ``root`` that writes an ``<rss`` feed with template code, in name order."""
    opened = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and d not in {".git", "_posts"})
        for name in sorted(files):
            if not name.lower().endswith(_SUFFIXES):
                continue
            path = Path(folder) / name
            opened += 1
            if opened > MAX_TEMPLATES:
                return
            text = _read(path)
            if text is None or "<rss" not in text or ("{{" not in text and "${" not in text):
                continue
            yield FeedTemplate(path, _self_link(text), _permalink(path))


def _read(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return handle.read(_MAX_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None


def _self_link(text: str) -> str | None:
    for tag in _ATOM_SELF.findall(text):
        if _REL_SELF.search(tag):
            found = _HREF.search(tag)
            if found:
                return found.group(1) if found.group(1) is not None else found.group(2)
    return None


def _permalink(path: Path) -> str | None:
    data = front_matter(path)
    value = (data or {}).get("permalink")
    return value if isinstance(value, str) else None


def resolve(template: str, lookup: Callable[[str], Any], base_url: str | None = None) -> str | None:
    """``template`` with each ``{{ expression }}`` replaced: a dotted name through ``lookup``
    (``site.url``, ``podcast.feedPath``), ``"path" | absURL`` against ``base_url``. None when an
    expression is not one of these forms or names nothing."""

    unresolved = False

    def replace(match: re.Match[str]) -> str:
        nonlocal unresolved
        expression = match.group(1).strip()
        quoted = _QUOTED_ABSURL.match(expression)
        if quoted and base_url is not None:
            return join_url(base_url, quoted.group(1))
        name = expression.split("|")[0].strip()
        if re.fullmatch(r"[A-Za-z_][\w.]*", name):
            value = lookup(name)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return str(value)
        unresolved = True
        return ""

    result = _EXPRESSION.sub(replace, template)
    if unresolved or "{%" in result or "${" in result:
        return None
    return result


def join_url(base: str, path: str) -> str:
    """``path`` after ``base`` with one slash between; a whole URL is kept as it is."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", path) or not base:
        return path
    if not path:
        return base
    return base.rstrip("/") + "/" + path.lstrip("/")
