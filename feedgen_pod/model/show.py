"""The show's vocabulary: its settings from the config, and the site layout its files follow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

from ..guids import URL_NAMESPACE, uuid5
from .episode import Episode, Person


@dataclass(frozen=True)
class Category:
    """An Apple Podcasts category, with an optional subcategory."""

    name: str
    sub: str | None = None


@dataclass(frozen=True)
class TranscriptSettings:
    """How transcript cues are cut: defaults suit captions (two lines of 42 characters)."""

    max_line_length: int = 42
    max_lines: int = 2

    @property
    def max_cue_chars(self) -> int:
        return self.max_line_length * self.max_lines


@dataclass(frozen=True)
class ChapterSettings:
    #: chapters shorter than this are merged into their neighbour
    min_seconds: float = 10.0
    #: where timestamp lists (``sNNeMM-slug.txt``) live; None to not look
    directory: Path | None = None


@dataclass(frozen=True)
class FeedSettings:
    """How lean the feed is (the ``soundbites``, ``feed`` and ``chapters`` config sections)."""

    #: at most this many ``podcast:soundbite`` tags an item
    soundbites_max: int = 2
    #: ``href`` on each ``psc:chapter`` (chapters.json carries the links either way)
    psc_links: bool = False
    #: newest items in feed.xml; all go to feed-archive.xml then (None: every item, no archive)
    max_items: int | None = None
    #: a feed larger than this is reported
    warn_bytes: int = 4_000_000
    #: channel tags: podcast:funding (url, text), podcast:txt (purpose, text)
    funding: tuple[tuple[str, str], ...] = ()
    txt: tuple[tuple[str, str], ...] = ()
    #: podcast:updateFrequency (rrule, text); podcast:license (name, url or None)
    update_frequency: tuple[str, str] | None = None
    license: tuple[str, str | None] | None = None
    #: itunes:new-feed-url, itunes:block, itunes:complete
    new_feed_url: str | None = None
    block: bool = False
    complete: bool = False


#: the public Podping endpoint (podping.cloud), used when ``podping_url`` is not set
PODPING_URL = "https://podping.cloud/"


@dataclass(frozen=True)
class PublishSettings:
    """The ``publish:`` config section, parsed (``config_publish``): where ``publish`` sends
    ``dist/`` and whom it tells; the feed reads ``websub_hubs`` too."""

    feed_cache_control: str = "public, max-age=300"
    file_cache_control: str = "public, max-age=86400"
    to: str | None = None
    endpoint_url: str | None = None
    websub_hubs: tuple[str, ...] = ()
    podping: bool = False
    podping_url: str = PODPING_URL
    notify_urls: tuple[str, ...] = ()
    headers_file: bool = False

    @property
    def notifies(self) -> bool:
        """True when a changed feed is announced somewhere."""
        return bool(self.websub_hubs or self.podping or self.notify_urls)


@dataclass(frozen=True)
class FieldRule:
    """Where one episode field comes from in a site's front matter: a row of a preset."""

    #: front matter keys tried in order (dotted for a key inside a mapping: ``audio.mp3``)
    keys: tuple[str, ...]
    #: a size's or a time's unit (``MB``, ``minutes``) when it is not bytes or seconds
    unit: str | None = None
    #: how the text is written when it cannot be told (``clock``, a strptime pattern)
    format: str | None = None


@dataclass(frozen=True)
class SiteLayout:
    """How the show's episode files are laid out: the ``preset`` and the keys that say where
    the site's generator put things (see docs/presets.md)."""

    preset: str = "datatalksclub"
    #: the config's ``fields:`` rows (target → rule), over the preset's own
    fields: tuple[tuple[str, FieldRule], ...] = ()
    #: Hugo and Eleventy: where page paths start
    content_dir: Path | None = None
    #: the site's address as its generator writes links and guids (may be http://)
    page_base_url: str | None = None
    #: put before an audio file name that is not a whole URL
    media_url: str | None = None
    #: the generator's pattern for episode page URLs
    permalink: str | None = None
    date_order: str | None = None
    release_time: time | None = None
    timezone: str | None = None
    #: URL → bytes, filled by ``feedgen-pod sizes``: lengths the front matter does not give
    sizes_file: Path | None = None

    @property
    def is_site(self) -> bool:
        """True for another generator's site (any preset but this project's own layout)."""
        return self.preset != "datatalksclub"


@dataclass(frozen=True)
class Show:
    """The show's settings, from ``config/podcast.yaml``."""

    title: str
    description: str
    site_url: str
    feed_url: str
    base_url: str
    language: str
    author: str
    owner_name: str
    owner_email: str
    image_url: str
    categories: tuple[Category, ...]
    explicit: bool = False
    type: str = "episodic"
    copyright: str | None = None
    hosts: tuple[Person, ...] = ()
    episodes_dir: Path = Path("episodes")
    people_dir: Path = Path("people")
    audio_feed: str | None = None
    media_dir: Path | None = None
    #: URL of an episode page; ``{slug}`` is replaced by the page's name (``Episode.page_slug``)
    episode_url: str = "{site_url}/podcast/{slug}.html"
    locked: bool = True
    medium: str = "podcast"
    #: ``podcast:guid``; derived from the feed URL when not set
    podcast_guid: str | None = None
    transcripts: TranscriptSettings = TranscriptSettings()
    chapters: ChapterSettings = ChapterSettings()
    feed: FeedSettings = FeedSettings()
    #: where the episode files come from and how their fields map (presets)
    site: SiteLayout = SiteLayout()
    publish: PublishSettings = PublishSettings()
    #: raw settings of other sections (``links``, ``upload``, ``network``), read by the module
    #: that owns them
    sections: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    source: Path | None = None
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    #: ``SOURCE_DATE_EPOCH`` when set: the only "now" a format may use (never the wall clock)
    build_time: datetime | None = None
    #: what a live stream's status is judged against: ``SOURCE_DATE_EPOCH``, else the time the
    #: build started. Left out of ``repr`` (the build's cache key): only live items read it
    live_now: datetime | None = field(default=None, compare=False, repr=False)

    def episode_page(self, episode: Episode) -> str:
        """Where the site serves the episode's page: its ``permalink``, else ``episode_url``."""
        site = (self.site.page_base_url or self.site_url).rstrip("/")
        if episode.permalink:
            return site + episode.permalink
        return self.episode_url.format(site_url=site, slug=episode.page_slug or episode.slug)

    def item_guid(self, episode: Episode) -> str:
        """The feed item's guid: the host's when known (apps that have the episode do not show
        it twice), else a UUID stable for the show's ``podcast:guid`` and the episode's slug."""
        if episode.audio and episode.audio.guid:
            return episode.audio.guid
        return uuid5(self.podcast_guid or URL_NAMESPACE, episode.slug)

    def item_explicit(self, episode: Episode) -> bool:
        """The item's ``itunes:explicit``: the episode's own flag, else the show's (as the
        site generators write it, so an episode marked explicit keeps its badge in apps)."""
        return self.explicit if episode.explicit is None else episode.explicit

    def dist_url(self, relative: str) -> str:
        """Public URL of a file in ``dist/`` (``episodes/x/chapters.json`` → base URL + path)."""
        return self.base_url.rstrip("/") + "/" + relative.lstrip("/")

    def absolute(self, url_or_path: str | None) -> str | None:
        """Resolve a site-relative path (``images/x.jpg``) against the site URL."""
        if not url_or_path:
            return None
        if "://" in url_or_path:
            return url_or_path
        return self.site_url.rstrip("/") + "/" + url_or_path.lstrip("/")
