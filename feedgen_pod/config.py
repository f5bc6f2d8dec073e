"""The show's settings: ``config/podcast.yaml`` to a validated ``Show``.

Every key goes through ``KEYS`` (key → parser and help text); the manual's configuration page
lists every key of the table (a test checks), so a key cannot be undocumented. A wrong key or
value is a ``ConfigError`` naming the file, line and key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config_publish import as_publish
from .config_site import SITE_KEYS, site_layout
from .config_values import (
    Key,
    LimitError,
    as_categories,
    as_choice,
    as_email,
    as_flag,
    as_https,
    as_language,
    as_network_section,
    as_pairs,
    as_path,
    as_people_keys,
    as_positive,
    as_section,
    as_source,
    as_template,
    as_text,
    as_update_frequency,
    license_value,
)
from .errors import ConfigError, Problem, display_path
from .guids import PODCAST_NAMESPACE, uuid5
from .load import frontmatter
from .load.sizes import SIZES_FILE
from .model import (
    Category,
    ChapterSettings,
    FeedSettings,
    Person,
    PublishSettings,
    Show,
    TranscriptSettings,
)

#: where the commands look for the config when --config is not given, first found wins:
#: ``feedgen-pod init`` writes the first in a site's root; this project keeps the second
CONFIG_NAMES = ("feedgen-pod.yaml", "config/podcast.yaml")


def default_config_path(folder: Path | None = None) -> Path:
    """The config the commands read without --config: the first of ``CONFIG_NAMES`` in
    ``folder`` (the working folder) that exists, else the first name."""
    for name in CONFIG_NAMES:
        if ((folder or Path()) / name).is_file():
            return Path(name) if folder is None else folder / name
    return Path(CONFIG_NAMES[0]) if folder is None else folder / CONFIG_NAMES[0]


def podcast_guid(feed_url: str) -> str:
    """UUIDv5 of the feed URL without scheme and trailing slashes, as the spec defines it."""
    stripped = re.sub(r"^[a-zA-Z]+://", "", feed_url.strip()).rstrip("/")
    return uuid5(PODCAST_NAMESPACE, stripped)


#: every config key, with its parser and the help the manual (docs/configuration.md) shows
KEYS: dict[str, Key] = {
    "title": Key(as_text, "The show's name.", True),
    "description": Key(
        as_text, "What the show is about (plain text; the feed's description).", True
    ),
    "site_url": Key(as_https, "The show's website; relative image paths resolve against it.", True),
    "feed_url": Key(
        as_https, "Where feed.xml will be served (atom:link self, podcast:guid).", True
    ),
    "base_url": Key(
        as_https, "URL under which dist/ is served (chapter and transcript links).", True
    ),
    "language": Key(as_language, "Language code, like en.", True),
    "author": Key(as_text, "itunes:author: who makes the show.", True),
    "owner_name": Key(as_text, "itunes:owner name (Apple contacts this person).", True),
    "owner_email": Key(as_email, "itunes:owner email.", True),
    "image": Key(as_https, "Show artwork URL (Apple: 1400-3000 px square JPEG or PNG).", True),
    "categories": Key(as_categories, "Apple categories: 'Technology' or 'Business/Careers'.", True),
    "explicit": Key(as_flag, "true if the show has explicit content (default false)."),
    "type": Key(as_choice("episodic", "serial"), "episodic (newest first) or serial."),
    "copyright": Key(as_text, "Copyright line."),
    "hosts": Key(as_people_keys, "People keys of the hosts (profiles in the people directory)."),
    "episodes_dir": Key(
        as_path, "Episode files, relative to the config's project (default episodes)."
    ),
    "people_dir": Key(as_path, "People profiles (default people)."),
    "chapters_dir": Key(as_path, "Timestamp lists sNNeMM-slug.txt, matched by season and episode."),
    "audio_feed": Key(
        as_source,
        "The host's existing RSS feed (path or URL) to take enclosures and guids from.",
    ),
    "media_dir": Key(as_source, "Folder of local audio files named <slug>.mp3/.m4a."),
    "episode_url": Key(
        as_template, "Episode page URL; {site_url} and {slug} (the Jekyll page name) are replaced."
    ),
    "locked": Key(as_flag, "podcast:locked: refuse imports by other hosts (default true)."),
    "medium": Key(
        as_choice("podcast", "music", "video", "film", "audiobook", "newsletter", "blog"),
        "podcast:medium (default podcast).",
    ),
    "podcast_guid": Key(as_text, "podcast:guid; by default the UUIDv5 of feed_url."),
    "transcripts": Key(as_section, "max_line_length (42) and max_lines (2) of a caption cue."),
    "chapters": Key(
        as_section,
        "min_seconds (10): shorter chapters merge into a neighbour; psc_links (false): an href "
        "on each psc:chapter in the feed (chapters.json has the links either way).",
    ),
    "soundbites": Key(
        as_section,
        "max (2): podcast:soundbite tags an item; clips with soundbite: true first, then the "
        "first clips of 15-120 s after the first two minutes.",
    ),
    "feed": Key(
        as_section,
        "max_items (all): the newest N items stay in feed.xml and feed-archive.xml holds all "
        "(Apple removes episodes that leave the feed); warn_mb (4): report a larger feed.",
    ),
    "upload": Key(
        as_section,
        "Where `feedgen-pod upload` sends transcripts and chapters: youtube, buzzsprout and "
        "transistor sub-sections (see the upload pages of the manual).",
    ),
    "funding": Key(
        as_pairs("url", "text", 2048, 128),
        "podcast:funding: a list of {url, text} (text at most 128 characters).",
    ),
    "txt": Key(
        as_pairs("purpose", "text", 128, 4000),
        "podcast:txt: a list of {purpose, text}, e.g. purpose applepodcastsverify.",
    ),
    "update_frequency": Key(
        as_update_frequency, "podcast:updateFrequency: {rrule: FREQ=WEEKLY, text: Weekly}."
    ),
    "license": Key(
        license_value,
        "podcast:license: an SPDX id (CC-BY-4.0) or {name, url}; an episode's license "
        "front matter overrides it on its item.",
    ),
    "new_feed_url": Key(as_https, "itunes:new-feed-url: where the feed moved (Apple follows it)."),
    "block": Key(as_flag, "itunes:block: true keeps the show out of Apple Podcasts."),
    "complete": Key(as_flag, "itunes:complete: true when no more episodes will come."),
    "links": Key(as_section, "Link checker settings (see check-links)."),
    "network": Key(
        as_network_section,
        "Every command that reaches the network: timeout (30): seconds a request may take, "
        "connecting, redirects, retries and the whole answer included (--timeout overrides "
        "it); allow_private (false) and allow_hosts (host or host:port): addresses allowed "
        "although private or loopback; ca_file: a CA bundle (PEM) to verify certificates with "
        "instead of certifi's (see docs/network.md).",
    ),
    "publish": Key(as_publish, "Publishing settings (the publish keys below)."),
    **SITE_KEYS,
}


def load_config(path: Path, overrides: Mapping[str, Any] | None = None) -> tuple[Show, dict]:
    """Read and validate the config; returns the Show (hosts unresolved) and raw settings."""
    data, lines = read_config(path)
    values = check_config(path, data, lines, overrides)
    return build_show(values, path, lines), values


def read_config(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The config file's mapping and the line of each key, not yet validated (``check_config``).

    Reading, validating and building the ``Show`` are three steps so that ``check-links`` can
    start on a fully validated config before the model's classes are imported.
    """
    where = display_path(path)
    try:
        text = frontmatter.decode(frontmatter.read_bounded(path))
    except OSError as exc:
        hint = (
            "; run `feedgen-pod init` in the site's root to write one, or pass --config FILE"
            if isinstance(exc, FileNotFoundError)
            else "; pass --config FILE"
        )
        raise ConfigError(
            Problem(
                where,
                None,
                None,
                f"cannot read the config: {exc.strerror}{hint}",
                kind="config-unreadable",
            )
        ) from None
    except frontmatter.FrontMatterError as exc:
        raise ConfigError(
            Problem(where, exc.line, None, exc.message, kind="yaml-invalid")
        ) from None
    try:
        data, lines, found = frontmatter.load_yaml(text)
    except frontmatter.FrontMatterError as exc:
        raise ConfigError(
            Problem(where, exc.line, None, exc.message, kind="yaml-invalid")
        ) from None
    if found:  # a duplicate key or a control character: which value is meant is unclear
        line, key, message = found[0]
        raise ConfigError(Problem(where, line, key or None, message, kind="config-duplicate-key"))
    if not isinstance(data, dict):
        raise ConfigError(
            Problem(where, 1, None, "the config must be a mapping of keys", kind="config-invalid")
        )
    return data, lines


def check_config(
    path: Path,
    data: Mapping[str, Any],
    lines: Mapping[str, int],
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every key of ``read_config``'s mapping validated: the values ``build_show`` takes.
    Raises ``ConfigError`` for the first wrong, unknown or missing key; a config that passes
    builds its ``Show`` without error."""
    where = display_path(path)
    data = {**data, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    values: dict[str, Any] = {}
    for key, value in data.items():
        spec = KEYS.get(str(key))
        if spec is None:
            raise ConfigError(
                Problem(
                    where,
                    lines.get(str(key)),
                    str(key),
                    f"unknown key; known keys: {', '.join(KEYS)}",
                    kind="config-unknown-key",
                )
            )
        try:
            values[key] = spec.parse(value, key)
        except ValueError as exc:
            kind = exc.kind if isinstance(exc, LimitError) else "config-invalid-value"
            raise ConfigError(Problem(where, lines.get(key), key, str(exc), kind=kind)) from None
    for key, spec in KEYS.items():
        if spec.required and key not in values:
            raise ConfigError(
                Problem(where, None, key, f"missing: {spec.help}", kind="config-missing-key")
            )
    _cue_and_chapter_limits(values, where)
    feed_settings(values, where)
    return values


def _cue_and_chapter_limits(values: Mapping[str, Any], where: str) -> tuple[int, int, float]:
    """max_line_length, max_lines and min_seconds of the transcripts and chapters sections."""
    tr = values.get("transcripts", {})
    ch = values.get("chapters", {})
    try:
        return (
            int(as_positive(tr.get("max_line_length", 42), "max_line_length")),
            int(as_positive(tr.get("max_lines", 2), "max_lines")),
            as_positive(ch.get("min_seconds", 10), "min_seconds"),
        )
    except ValueError as exc:
        raise ConfigError(
            Problem(where, None, "transcripts/chapters", str(exc), kind="config-invalid-value")
        ) from None


def feed_settings(values: Mapping[str, Any], where: str) -> FeedSettings:
    """The ``FeedSettings`` of the soundbites, chapters and feed sections."""

    bites, chapters, feed = (values.get(k, {}) for k in ("soundbites", "chapters", "feed"))
    try:
        limit = bites.get("max", 2)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"soundbites.max: expected a whole number from 0, got {limit!r}")
        max_items = feed.get("max_items")
        if max_items is not None:
            max_items = int(as_positive(max_items, "max_items"))
        return FeedSettings(
            soundbites_max=limit,
            psc_links=as_flag(chapters.get("psc_links", False), "psc_links"),
            max_items=max_items,
            warn_bytes=int(as_positive(feed.get("warn_mb", 4), "warn_mb") * 1_000_000),
            funding=values.get("funding", ()),
            txt=values.get("txt", ()),
            update_frequency=values.get("update_frequency"),
            license=values.get("license"),
            new_feed_url=values.get("new_feed_url"),
            block=values.get("block", False),
            complete=values.get("complete", False),
        )
    except ValueError as exc:
        raise ConfigError(
            Problem(where, None, "soundbites/chapters/feed", str(exc), kind="config-invalid-value")
        ) from None


def folder(values: Mapping[str, Any], path: Path, key: str, default: str | None) -> Path | None:
    """The folder a config key names (``episodes_dir``), relative to the config's project:
    the folder above ``config/`` when the config is in one, else the config's folder."""
    value = values.get(key, default)
    if value is None:
        return None
    folder = Path(value)
    if folder.is_absolute():
        return folder
    here = path.resolve().parent
    return (here.parent if here.name == "config" else here) / folder


def build_show(values: Mapping[str, Any], path: Path, lines: dict[str, int]) -> Show:
    """The ``Show`` of ``check_config``'s values."""
    max_line_length, max_lines, min_seconds = _cue_and_chapter_limits(values, display_path(path))
    audio_feed = values.get("audio_feed")
    if audio_feed and "://" not in audio_feed and not Path(audio_feed).is_absolute():
        audio_feed = str(folder(values, path, "audio_feed", None))
    return Show(
        title=values["title"],
        description=values["description"],
        site_url=values["site_url"],
        feed_url=values["feed_url"],
        base_url=values["base_url"],
        language=values["language"],
        author=values["author"],
        owner_name=values["owner_name"],
        owner_email=values["owner_email"],
        image_url=values["image"],
        categories=tuple(Category(name, sub) for name, sub in values["categories"]),
        explicit=values.get("explicit", False),
        type=values.get("type", "episodic"),
        copyright=values.get("copyright"),
        hosts=tuple(Person(key=k, name=k) for k in values.get("hosts", ())),
        episodes_dir=folder(values, path, "episodes_dir", "episodes") or Path("episodes"),
        people_dir=folder(values, path, "people_dir", "people") or Path("people"),
        audio_feed=audio_feed,
        media_dir=folder(values, path, "media_dir", None),
        episode_url=values.get("episode_url", "{site_url}/podcast/{slug}.html"),
        locked=values.get("locked", True),
        medium=values.get("medium", "podcast"),
        podcast_guid=values.get("podcast_guid") or podcast_guid(values["feed_url"]),
        transcripts=TranscriptSettings(max_line_length=max_line_length, max_lines=max_lines),
        chapters=ChapterSettings(
            min_seconds=min_seconds, directory=folder(values, path, "chapters_dir", None)
        ),
        feed=feed_settings(values, display_path(path)),
        site=site_layout(
            values,
            folder(values, path, "content_dir", None),
            folder({"sizes": str(SIZES_FILE)}, path, "sizes", None),
        ),
        publish=values.get("publish") or PublishSettings(),
        sections={k: values.get(k, {}) for k in ("links", "upload", "network")},
        source=path,
        field_lines=lines,
    )
