"""An episode file's names: its output name (``slug_for``) and its page's name on the site.

Markdown files end in any of ``MARKDOWN_EXTENSIONS``; a page bundle (``name/index.md``, as
Hugo has them) is named by its folder.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

#: what Markdown files end in, as Jekyll and Hugo read them
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mkdn", ".mkdown")


def stem(path: Path) -> str:
    """The file's name without its Markdown extension."""
    name = path.name
    lower = name.lower()
    for ext in MARKDOWN_EXTENSIONS:
        if lower.endswith(ext):
            return name[: -len(ext)]
    return path.stem


def page_name(path: Path) -> str:
    """The page's own name: a bundle's folder (``name/index.md``), else the file's stem."""
    base = stem(path)
    return path.parent.name if base in ("index", "_index") else base


def slug_for(path: Path) -> str:
    """The episode's stable name from its file name: ``_s12e08.md`` → ``s12e08``.

    >>> slug_for(Path("mentoring-in-tech.md.md"))
    'mentoring-in-tech'
    """
    name = path.name
    while name.lower().endswith(MARKDOWN_EXTENSIONS):
        name = name.rsplit(".", 1)[0]
    if name.lower() in ("index", "_index") and path.parent.name:
        name = path.parent.name  # a page bundle is named by its folder
    name = name.lstrip("_")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.").lower()
    return name or "episode"


#: what Jekyll's "pretty" slugify keeps (letters, marks, digits and ``._~!$&'()+,;=@``)
_JEKYLL_KEEP = re.compile(r"[^\w\u0300-\u036f.~!$&'()+,;=@]+")


def page_slug_for(path: Path, slug: str | None = None) -> str:
    """The page's name where Jekyll serves it (its ``:title``): the front matter ``slug``, else
    the file name without its last extension (a draft's ``_`` dropped), slugified as Jekyll
    does (case kept, other characters to ``-``) and percent-encoded for a URL.

    >>> page_slug_for(Path("mentoring-in-tech.md.md"))
    'mentoring-in-tech.md'
    >>> page_slug_for(Path("_s12e08.md")), page_slug_for(Path("x.md"), "Mr. Robot")
    ('s12e08', 'Mr.-Robot')
    """
    name = slug if slug else path.name.lstrip("_").rsplit(".", 1)[0]
    name = _JEKYLL_KEEP.sub("-", unicodedata.normalize("NFC", name)).strip("-")
    return quote(name, safe="._~!$&'()+,;=@-") or slug_for(path)
