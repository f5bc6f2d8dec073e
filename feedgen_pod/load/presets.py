"""Site layouts as tables: for each episode field, where a site's front matter keeps it.

A ``Preset`` is data, not code: rows of target → ``FieldRule`` (keys tried in order, a unit or
a format), the generator whose page-URL rules apply, which rule makes the guid, and the
generator's own fields (never reported as misspellings). ``site_fields`` reads a file through
a preset; every preset maps into the one ``Episode`` model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from ..model import FieldRule

#: every field a preset or the config's ``fields:`` can fill, with the kind of value it is
TARGETS: dict[str, str] = {
    "title": "text",
    "description": "text",
    "date": "date",
    "duration": "duration",
    "season": "number",
    "episode": "number",
    "episodeType": "text",
    "explicit": "flag",
    "image": "text",
    "guid": "text",
    "slug": "text",
    "permalink": "text",
    "url": "text",
    "draft": "flag",
    "published": "flag",
    "upcoming": "flag",
    "audio.url": "url",
    "audio.length": "size",
    "audio.type": "text",
    "audio.alternates": "urls",
    "chapters": "chapters",
}

#: units a value of each kind may come in (the first is the one the model keeps)
UNITS: dict[str, tuple[str, ...]] = {
    "size": ("bytes", "KB", "MB", "GB", "KiB", "MiB"),
    "duration": ("seconds", "minutes", "hours", "ms"),
}

#: bytes in one of each size unit
SIZE_FACTORS = {"bytes": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KiB": 2**10, "MiB": 2**20}
#: seconds in one of each duration unit
TIME_FACTORS = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0, "ms": 0.001}

#: fields every static-site generator keeps for itself: never a misspelling of ours
COMMON_OWN = frozenset(
    [
        "layout",
        "categories",
        "category",
        "tags",
        "author",
        "authors",
        "aliases",
        "comments",
        "excerpt",
        "header",
        "sidebar",
        "toc",
        "weight",
        "type",
        "menu",
        "images",
        "keywords",
        "lastmod",
        "expirydate",
        "publishdate",
        "summary",
        "subtitle",
        "series",
        "share",
        "related",
        "feature",
        "featured",
        "hidden",
        "sitemap",
        "canonical",
        "robots",
        "redirect_from",
        "redirect_to",
        "eleventyexcludefromcollections",
        "eleventynavigation",
        "eleventycomputed",
        "tags",
        "cover",
        "banner",
        "thumbnail",
        "og_image",
        "teaser",
        "lang",
        "language",
        "translationkey",
        "outputs",
    ]
)


def _rules(**rows: FieldRule | str | tuple[str, ...]) -> MappingProxyType:
    """``target=FieldRule`` rows; a plain key or tuple of keys is a rule without a unit."""
    table = {}
    for name, rule in rows.items():
        target = name.replace("__", ".")
        if isinstance(rule, str):
            rule = FieldRule((rule,))
        elif isinstance(rule, tuple):
            rule = FieldRule(rule)
        table[target] = rule
    return MappingProxyType(table)


@dataclass(frozen=True)
class Preset:
    name: str
    #: whose page-URL rules apply: ``hugo``, ``jekyll``, ``astro`` or ``pattern``
    generator: str
    fields: MappingProxyType
    #: how the guid is made (see ``site_fields.guid_for``)
    guid: str
    #: the page URL pattern when the config sets no ``permalink``
    permalink: str = ""
    #: Hugo reads front matter keys without regard to case
    case_insensitive: bool = False
    own_fields: frozenset[str] = field(default_factory=frozenset)


RULE = FieldRule
#: Octopod's one file in several formats: the first found is the enclosure, the others its
#: alternates
_OCTOPOD_AUDIO = ("audio.mp3", "audio.m4a", "audio.ogg", "audio.opus")
_DATE = ("date", "publishdate")

PRESETS: dict[str, Preset | None] = {
    # this project's own layout: the loader reads its fields directly (load.fields)
    "datatalksclub": None,
    "castanet": Preset(
        "castanet",
        "hugo",
        _rules(
            title="title",
            description="description",
            date=_DATE,
            audio__url="podcast_file",
            audio__length="podcast_bytes",
            duration=RULE(("podcast_duration",), format="clock"),
            episode="episode",
            guid="guid",
            image="episode_image",
            explicit="explicit",
            slug="slug",
            url="url",
            draft="draft",
            upcoming="upcoming",
        ),
        guid="field-else-audio",
        permalink="",  # Hugo: the path under content/ (a [permalinks] entry overrides it)
        case_insensitive=True,
        own_fields=frozenset(
            [
                "episode_banner",
                "guests",
                "hosts",
                "sponsors",
                "youtube",
                "news_keywords",
                "media_override",
                "truncate",
                "podcast_file",
                "podcast_bytes",
                "podcast_duration",
            ]
        ),
    ),
    "jekyll-podcast": Preset(
        "jekyll-podcast",
        "jekyll",
        _rules(
            title="title",
            description=("description", "excerpt"),
            date="date",
            audio__url="podcast_link",
            audio__length="podcast_length",
            duration=RULE(("podcast_duration",), format="clock"),
            guid="podcast_guid",
            season="podcast_season_number",
            episode="podcast_episode_number",
            episodeType="podcast_episode_type",
            image=("podcast_image", "image"),
            explicit="podcast_explicit",
            slug="slug",
            permalink="permalink",
            draft="draft",
            published="published",
        ),
        guid="base-slash-field-else-page",
        permalink="date",
        own_fields=frozenset(["author_profile", "podcast_album_art"]),
    ),
    "astropod": Preset(
        "astropod",
        "astro",
        _rules(
            title="title",
            description="description",
            date="pubDate",
            audio__url="audioUrl",
            audio__length=RULE(("size",), unit="MB"),
            duration=RULE(("duration",), format="clock"),
            episode="episode",
            season="season",
            episodeType="episodeType",
            explicit="explicit",
            image="cover",
            slug="slug",
            draft="draft",
        ),
        guid="page",
        permalink="/episode/:slug/",
        own_fields=frozenset(["speaker"]),
    ),
    "octopod": Preset(
        "octopod",
        "jekyll",
        _rules(
            title="title",
            description=("description", "subtitle"),
            date="date",
            audio__url=_OCTOPOD_AUDIO,
            audio__alternates=_OCTOPOD_AUDIO,
            audio__length=("filesize", "file_size"),
            duration=RULE(("duration",), format="clock"),
            chapters="chapters",
            explicit="explicit",
            slug="slug",
            permalink="permalink",
            draft="draft",
            published="published",
        ),
        guid="page",
        permalink="date",
        own_fields=frozenset(["datum", "audio_file_size"]),
    ),
    "flat": Preset(
        "flat",
        "pattern",
        _rules(
            title="title",
            description=("description", "summary"),
            date="date",
            audio__url=("file", "fileName", "filename", "link", "audiofile", "audio_url"),
            audio__length=("length", "audiosize", "filesize"),
            audio__type=("type", "mimetype"),
            duration=RULE(("duration",), format="clock"),
            guid="guid",
            season="season",
            episode=("episodeNumber", "episode", "number"),
            episodeType="episodeType",
            image=("image", "cover"),
            slug="slug",
            permalink="permalink",
            draft="draft",
            published="published",
        ),
        guid="field-else-page",
        permalink="/:slug/",
    ),
}
