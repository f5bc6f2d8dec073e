"""The show's settings inferred from each generator's own files: one function per generator,
each a list of config keys and the site settings they are read from, first found wins.

Every value keeps its source (``config.toml: params.feed.itunes_image``) so that the written
config can say where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..apple_categories import CATEGORIES
from .convention import Convention
from .generators import Generator
from .sitefiles import Settings, Value
from .templates import FeedTemplate, feed_templates, join_url, resolve


@dataclass(frozen=True)
class Entry:
    """One key of the config to write: its value (None: not known, a TODO) and where it came
    from, with a note for the reader."""

    key: str
    value: Any
    source: str
    note: str = ""


Found = dict[str, Entry]


def _put(
    found: Found, key: str, value: Value | None, convert: Callable[[Any], Any] | None = None
) -> None:
    if value is None or key in found:
        return
    result = convert(value.value) if convert else value.value
    if result not in (None, "", [], {}):
        found[key] = Entry(key, result, value.source)


def _text(value: Any) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None


def _name(value: Any) -> str | None:
    """A person's name: text, or a mapping's ``name``."""
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "explicit"}:
        return True
    if text in {"false", "no", "clean"}:
        return False
    return None


def _absolute(base: str | None) -> Callable[[Any], str | None]:
    def convert(value: Any) -> str | None:
        text = _text(value)
        return join_url(base or "", text) if text else None

    return convert


def _categories(top: Any, *subs: Any) -> list[str]:
    name = _text(top)
    if not name:
        return []
    picked = [f"{name}/{s}" for s in (_text(s) for s in subs) if s]
    return picked or [name]


def _paired(names: list[str | None], subs: list[str]) -> list[str]:
    """Categories with each subcategory under the category Apple lists it in (the Jekyll
    podcast template nests ``podcast_subcategory_one`` under ``podcast_category_two``)."""
    out = [n for n in names if n]
    for sub in subs:
        home = next((n for n in out if sub in CATEGORIES.get(n.split("/")[0], ())), None)
        if home is None:
            out.append(f"{out[0]}/{sub}" if out else sub)
        elif "/" in home:
            out.append(f"{home.split('/')[0]}/{sub}")
        else:
            out[out.index(home)] = f"{home}/{sub}"
    return out


def _self_link_of(
    root: Path,
    templates: list[FeedTemplate],
    settings: Settings,
    base: str | None,
    prefix: str = "",
) -> tuple[str, str] | None:
    """The first template's self link resolved against the settings: (url, source)."""
    for template in templates:
        if template.self_link is None:
            continue

        def lookup(name: str) -> Any:
            return settings.get(name[len(prefix) :] if prefix and name.startswith(prefix) else name)

        url = resolve(template.self_link, lookup, base)
        if url and re.match(r"^https?://", url):
            where = template.path.relative_to(root).as_posix()
            return url, f"{where}: atom:link rel=self"
    return None


def hugo(gen: Generator, conv: Convention, root: Path) -> Found:
    s = gen.settings
    found: Found = {}
    base = _text(s.get("baseurl"))
    content = _text(s.get("contentdir")) or "content"
    section = _section(conv, root / content)
    _put(found, "title", s.find("params.feed.itunes_title", "title"), _text)
    _put(
        found,
        "description",
        s.find(
            "params.feed.itunes_summary",
            "params.description",
            "params.feed.description",
            "params.summary",
        ),
        _text,
    )
    if base:
        found["page_base_url"] = Entry("page_base_url", base.rstrip("/"), "baseURL")
        found["site_url"] = Entry("site_url", base.rstrip("/"), "baseURL")
    _put(
        found,
        "language",
        s.find("params.feed.language", "languagecode", "defaultcontentlanguage"),
        _text,
    )
    _put(
        found,
        "image",
        s.find("params.feed.itunes_image", "params.image", "params.logo"),
        _absolute(base),
    )
    _put(
        found,
        "author",
        s.find("params.feed.itunes_author", "params.author.name", "author.name", "params.author"),
        _name,
    )
    _put(
        found,
        "owner_name",
        s.find("params.feed.itunes_owner_name", "params.author.name", "author.name"),
        _name,
    )
    _put(
        found,
        "owner_email",
        s.find(
            "params.feed.itunes_owner_email", "params.author.email", "author.email", "params.email"
        ),
        _text,
    )
    top = s.find("params.feed.itunes_top_category", "params.itunes_category")
    if top is not None:
        cats = _categories(
            top.value,
            s.get("params.feed.itunes_first_sub_category"),
            s.get("params.feed.itunes_second_sub_category"),
        )
        found["categories"] = Entry("categories", cats, top.source.rsplit(".", 1)[0] + ".itunes_*")
    _put(found, "copyright", s.find("params.feed.copyright", "copyright"), _text)
    _put(found, "explicit", s.find("params.feed.explicit", "params.explicit"), _flag)
    _put(found, "media_url", s.find("params.media_prefix", "params.mediaprefix"), _text)
    _put(found, "timezone", s.find("timezone"), _text)
    if section:
        _put(
            found, "permalink", s.find(f"permalinks.{section}", f"permalinks.page.{section}"), _text
        )
    found["content_dir"] = Entry(
        "content_dir",
        content,
        "Hugo's contentDir" if s.get("contentdir") else "Hugo's default content folder",
    )
    link = _self_link_of(root, list(feed_templates(root)), s, base)
    if link:
        found["feed_url"] = Entry("feed_url", link[0], link[1])
    elif base and section:
        found["feed_url"] = Entry(
            "feed_url",
            join_url(base, f"{section}/index.xml"),
            f"Hugo's RSS of the {section!r} section",
        )
    return found


def _section(conv: Convention, content: Path) -> str | None:
    """The Hugo section of the episodes: their folder's first part under the content folder."""
    if conv.episodes_dir is None:
        return None
    try:
        parts = conv.episodes_dir.resolve().relative_to(content.resolve()).parts
    except ValueError:
        return None
    return parts[0] if parts else None


def jekyll(gen: Generator, conv: Convention, root: Path) -> Found:
    s = gen.settings
    found: Found = {}
    url = _text(s.get("url"))
    base = (url or "").rstrip("/") + (_text(s.get("baseurl")) or "").rstrip("/") if url else None
    _put(found, "title", s.find("podcast_title", "title"), _text)
    _put(
        found,
        "description",
        s.find("podcast_description", "podcast_summary", "description", "subtitle"),
        _text,
    )
    if base:
        found["site_url"] = Entry("site_url", base, "url + baseurl" if s.get("baseurl") else "url")
        found["page_base_url"] = Entry("page_base_url", base, found["site_url"].source)
    _put(found, "language", s.find("podcast_language", "language", "lang", "locale"), _text)
    _put(
        found,
        "image",
        s.find("podcast_album_art", "podcast_image", "itunes_image", "poster", "logo", "image"),
        _absolute(base),
    )
    _put(found, "author", s.find("podcast_author", "author"), _name)
    _put(found, "owner_name", s.find("podcast_owner", "owner.name", "author", "name"), _name)
    _put(
        found, "owner_email", s.find("podcast_email", "owner.email", "email", "author.email"), _text
    )
    top = s.find("podcast_category_one", "podcast_category", "itunes_categories", "category")
    if top is not None:
        if isinstance(top.value, list):
            cats = [c for c in (_text(v) for v in top.value) if c]
        else:
            names = [_text(s.get(f"podcast_category_{n}")) for n in ("one", "two", "three")]
            subs = [_text(s.get(f"podcast_subcategory_{n}")) for n in ("one", "two", "three")]
            cats = _paired([n for n in names if n] or [_text(top.value)], [x for x in subs if x])
        found["categories"] = Entry("categories", cats, top.source)
    _put(found, "copyright", s.find("podcast_copyright", "copyright", "license"), _text)
    _put(found, "explicit", s.find("podcast_explicit", "explicit"), _flag)
    _put(found, "timezone", s.find("timezone"), _text)
    _put(found, "permalink", s.find("permalink"), _text)
    if conv.preset == "octopod" and base:
        _put(found, "media_url", s.find("download_url"), _text)
        if "media_url" not in found:
            found["media_url"] = Entry(
                "media_url", join_url(base, "episodes/"), "Octopod's default: url + /episodes/"
            )
        formats = s.get("episode_feed_formats") or ["mp3"]
        fmt = formats[0] if isinstance(formats, list) and formats else "mp3"
        found["feed_url"] = Entry(
            "feed_url", join_url(base, f"episodes.{fmt}.rss"), "Octopod's feed of the first format"
        )
    link = _self_link_of(root, list(feed_templates(root)), s, base, prefix="site.")
    if link and "feed_url" not in found:
        found["feed_url"] = Entry("feed_url", link[0], link[1])
    return found


def astro(gen: Generator, conv: Convention, root: Path) -> Found:
    s = gen.settings
    found: Found = {}
    link = _text(s.get("link"))
    base = link.rstrip("/") if link else None
    _put(found, "title", s.find("name", "title"), _text)
    _put(found, "description", s.find("description"), _text)
    where = s.find("link")
    if base and where is not None:
        found["site_url"] = Entry("site_url", base, where.source)
        found["page_base_url"] = Entry("page_base_url", base, where.source)
        found["media_url"] = Entry(
            "media_url", base, where.source + " (Astropod puts it before an audioUrl path)"
        )
        found["feed_url"] = Entry(
            "feed_url", join_url(base, "rss.xml"), "Astropod's feed: link + /rss.xml"
        )
    _put(found, "language", s.find("language"), _text)
    _put(found, "image", s.find("cover", "image"), _absolute(base))
    _put(found, "author", s.find("author"), _name)
    _put(found, "owner_name", s.find("owner", "author"), _name)
    _put(found, "owner_email", s.find("email"), _text)
    cats = s.find("category", "categories")
    if cats is not None:
        value = cats.value if isinstance(cats.value, list) else [cats.value]
        found["categories"] = Entry("categories", [c for c in map(_text, value) if c], cats.source)
    _put(found, "explicit", s.find("explicit"), _flag)
    _put(found, "copyright", s.find("copyright"), _text)
    return found


#: podcast settings in an Eleventy data file: config key → the data keys that may hold it
_ELEVENTY_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "name"),
    "description": ("description", "summary"),
    "site_url": ("url", "siteUrl", "link", "baseUrl"),
    "feed_url": ("feedPath", "feedUrl", "feed_url", "feed", "rss"),
    "media_url": (
        "fileLocation",
        "mediaUrl",
        "media_url",
        "mediaPrefix",
        "media_prefix",
        "audioBase",
        "audioUrl",
    ),
    "language": ("language", "lang"),
    "image": ("image", "cover", "artwork", "logo"),
    "author": ("author",),
    "owner_name": ("owner.name", "owner", "author"),
    "owner_email": ("owner.email", "email"),
    "copyright": ("copyright",),
    "explicit": ("explicit",),
}


def eleventy(gen: Generator, conv: Convention, root: Path) -> Found:
    s = gen.settings
    found: Found = {}
    data = _podcast_data(s)
    if data is None:
        return found
    paths = {
        key: tuple(f"{data}.{name}" for name in names) for key, names in _ELEVENTY_KEYS.items()
    }
    site = s.find(*paths["site_url"])
    site_url = _text(site.value) if site is not None else None
    base = site_url.rstrip("/") if site_url else None
    if base and site is not None:
        found["site_url"] = Entry("site_url", base, site.source)
        found["page_base_url"] = Entry("page_base_url", base, site.source)
    for key in ("title", "description", "language", "copyright", "media_url"):
        _put(found, key, s.find(*paths[key]), _text)
    _put(found, "feed_url", s.find(*paths["feed_url"]), _absolute(base))
    _put(found, "image", s.find(*paths["image"]), _absolute(base))
    for key in ("author", "owner_name"):
        _put(found, key, s.find(*paths[key]), _name)
    _put(found, "owner_email", s.find(*paths["owner_email"]), _text)
    _put(found, "explicit", s.find(*paths["explicit"]), _flag)
    cats = s.find(f"{data}.category", f"{data}.categories")
    if cats is not None:
        value = cats.value if isinstance(cats.value, list) else [cats.value]
        found["categories"] = Entry("categories", [c for c in map(_text, value) if c], cats.source)
    if "feed_url" not in found:
        link = _self_link_of(root, list(feed_templates(root / gen.content_root)), s, base)
        if link:
            found["feed_url"] = Entry("feed_url", link[0], link[1])
    found["content_dir"] = Entry("content_dir", gen.content_root, "Eleventy's dir.input")
    return found


def _podcast_data(s: Settings) -> str | None:
    """The data file (by its name) that holds the show's settings: most podcast keys wins."""
    best, score = None, 0
    wanted = {n.split(".")[0].lower() for names in _ELEVENTY_KEYS.values() for n in names}
    for name, value in s.data.items():
        if isinstance(value, dict):
            hits = len(wanted & {str(k).lower() for k in value})
            if hits > score:
                best, score = name, hits
    return best if score >= 2 else None


#: generator name → its inference
INFER: dict[str, Callable[[Generator, Convention, Path], Found]] = {
    "hugo": hugo,
    "jekyll": jekyll,
    "astro": astro,
    "eleventy": eleventy,
}
