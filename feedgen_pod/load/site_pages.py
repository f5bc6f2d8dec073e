"""Where each generator serves an episode's page: its path on the site, as the generator makes it.

- Jekyll posts (``_posts/2018-03-25-name.md``): the date comes from the name (or ``date``),
  ``:title`` is the name without the date (or ``slug``), and the ``permalink`` style
  (``date``, ``pretty``, ``ordinal``, ``weekdate``, ``none`` or a pattern) places it; a
  ``permalink`` in the front matter wins.
- Hugo: the file's path under ``content/``, lowercased; a page bundle ``name/index.md`` is
  the page ``name``; ``slug`` replaces the last part, ``url`` the whole path, and a
  ``[permalinks]`` pattern (``/:contentbasename/``, ``/:slug/``) replaces the default.
- Astro (Astropod): ``/episode/<slug>/``, the slug made from the file name as Astro does.
- Other sites (``pattern``): a pattern with ``:slug`` (the front matter ``slug``, else the file
  name) and any other front matter key.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from .names import page_name, page_slug_for, stem

#: Jekyll's permalink styles
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
_PLACEHOLDER = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")


def jekyll_post_date(path: Path) -> date | None:
    match = _POST_NAME.match(stem(path))
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _fill(pattern: str, values: dict[str, str]) -> str:
    def one(match: re.Match) -> str:
        return values.get(match.group(1), match.group(0))

    # longest names first is what ``re`` gives: ``:title`` never eats ``:titlecase``
    path = _PLACEHOLDER.sub(one, pattern)
    path = re.sub(r"/{2,}", "/", path)
    return path if path.startswith("/") else "/" + path


def _categories(data: dict[str, Any], path: Path, root: Path) -> str:
    """Jekyll's ``:categories``: folders above ``_posts``, then the front matter's."""
    found: list[str] = []
    try:
        above = path.relative_to(root).parts
    except ValueError:
        above = ()
    if "_posts" in above:
        found += list(above[: above.index("_posts")])
    for key in ("categories", "category"):
        value = data.get(key)
        if isinstance(value, str):
            found += value.split()
        elif isinstance(value, list):
            found += [str(v) for v in value]
    return "/".join(c.lower().replace(" ", "-") for c in found if c)


def jekyll_page(path: Path, data: dict[str, Any], style: str, root: Path, day: date | None) -> str:
    """The post's path on the site, as Jekyll 4 writes it."""
    base = stem(path)
    match = _POST_NAME.match(base)
    title_part = match.group(4) if match else base
    slug = data.get("slug")
    title = page_slug_for(Path(title_part + ".md"), str(slug) if slug else None)
    when = day or jekyll_post_date(path) or date(1970, 1, 1)
    if isinstance(when, datetime):
        when = when.date()
    values = {
        "title": title,
        "slug": title.lower(),
        "name": title,
        "categories": _categories(data, path, root),
        "year": f"{when.year:04d}",
        "short_year": f"{when.year % 100:02d}",
        "month": f"{when.month:02d}",
        "i_month": str(when.month),
        "short_month": when.strftime("%b"),
        "long_month": when.strftime("%B"),
        "day": f"{when.day:02d}",
        "i_day": str(when.day),
        "y_day": f"{when.timetuple().tm_yday:03d}",
        "week": f"{when.isocalendar()[1]:02d}",
        "short_day": when.strftime("%a"),
        "long_day": when.strftime("%A"),
        "output_ext": ".html",
    }
    own = data.get("permalink")
    pattern = str(own) if isinstance(own, str) and own.strip() else JEKYLL_STYLES.get(style, style)
    return _fill(pattern, values)


def urlize(text: str) -> str:
    """Hugo's ``urlize``: lower case, spaces to ``-``, other URL-unsafe characters dropped."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"\s+", "-", text)
    return re.sub(r"[^\w\-./~]", "", text)


def hugo_page(path: Path, data: dict[str, Any], pattern: str, content: Path) -> str:
    """The page's path on a Hugo site (keys already lower case)."""
    url = data.get("url")
    if isinstance(url, str) and url.strip():
        url = url.strip()
        return url if url.startswith("/") else "/" + url
    try:
        rel = PurePosixPath(path.relative_to(content).as_posix())
    except ValueError:
        rel = PurePosixPath(path.name)
    bundle = stem(path) in ("index", "_index")
    folders = list(rel.parts[:-2] if bundle else rel.parts[:-1])
    name = page_name(path)
    slug = data.get("slug")
    title = data.get("title")
    if pattern:
        when = data.get("date")
        when = when if isinstance(when, date) else None
        values = {
            "section": folders[0] if folders else "",
            "sections": "/".join(folders),
            "filename": name,
            "contentbasename": name,
            "slug": str(slug) if slug else urlize(str(title or name)),
            "slugorfilename": str(slug) if slug else name,
            "slugorcontentbasename": str(slug) if slug else name,
            "title": urlize(str(title or name)),
            "year": f"{when.year:04d}" if when else "",
            "month": f"{when.month:02d}" if when else "",
            "day": f"{when.day:02d}" if when else "",
        }
        page = _fill(pattern, values)
    else:
        page = "/" + "/".join([*folders, str(slug) if slug else name]) + "/"
    return urlize(page) if page else "/"


def astro_slug(path: Path, collection: Path) -> str:
    """Astro's ``entry.slug``: the path in the collection without extension, slugged like
    github-slugger (lower case, punctuation other than ``-`` and ``_`` dropped)."""
    try:
        rel = path.relative_to(collection)
    except ValueError:
        rel = Path(path.name)
    parts = [*rel.parts[:-1], stem(path)]
    out = []
    for part in parts:
        part = unicodedata.normalize("NFC", part).lower()
        part = re.sub(r"[^\w\- ]", "", part)
        out.append(part.replace(" ", "-"))
    slug = "/".join(out)
    return slug[: -len("/index")] if slug.endswith("/index") else slug


def pattern_page(path: Path, data: dict[str, Any], pattern: str) -> str:
    """A page at ``pattern``: ``:slug`` is the front matter ``slug``, else the file's name;
    any other ``:key`` is that front matter value."""
    slug = data.get("slug")
    values = {str(k): str(v) for k, v in data.items() if isinstance(v, (str, int))}
    values["slug"] = str(slug) if slug else page_name(path)
    values["filename"] = page_name(path)
    return _fill(pattern, values)
