"""The feed's namespaced tags as feedgen extensions: itunes, Podcasting 2.0 and Podlove Simple
Chapters.

* Apple (``itunes:``): ``explicit`` is ``true``/``false``, ``image`` any https URL, categories
  from Apple's 2019 list (``apple_categories``).
* Podcasting 2.0 (``podcast:``, https://podcastindex.org/namespace/1.0): guid, locked, medium,
  person, season, episode, transcript, chapters, soundbite, license, trailer, liveItem,
  alternateEnclosure.
* Podlove Simple Chapters (``psc:chapters`` version 1.2) inside items.

feedgen's own podcast extension is not used: it writes ``itunes:explicit`` as yes/no/clean,
drops an ``itunes:image`` whose URL does not end in ``.jpg``/``.png`` and knows no
Podcasting 2.0 tag. Each class here is registered with feedgen's public
``register_extension`` under its prefix (``fg.itunes``, ``entry.podcast``); ``rss.py`` sets its
``tags`` (a frozen value) and feedgen calls ``extend_rss`` when it writes the channel or the
item. Extensions run in the order they are registered, after feedgen's own RSS elements.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree

from ..model import Category, Chapter, Enclosure
from ..times import format_clock
from .feedlinks import ChaptersLink, PersonTag, Soundbite, TranscriptLink

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
#: the feed's namespaces as ``<rss>`` declares them: the extensions' in the order they are
#: registered, then the two feedgen always declares
NSMAP = {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "psc": PSC_NS, "atom": ATOM_NS}
NSMAP["content"] = CONTENT_NS


@dataclass(frozen=True)
class Trailer:
    """A ``podcast:trailer``: like an enclosure, plus its RFC 2822 ``pubdate`` and season."""

    title: str
    url: str
    pubdate: str
    length: int
    type: str
    season: int | None = None


def number(value: float) -> str:
    """Seconds as the shortest exact text, at most 3 decimals: ``73.5``, ``120``."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def el(
    parent: etree._Element,
    tag: str,
    value: str | None = None,
    ns: str | None = None,
    **attrs: str | None,
) -> etree._Element:
    """A child element ``tag`` (in namespace ``ns``) holding ``value``, with the attributes
    that are not None."""
    child = etree.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag)
    for key, attr in attrs.items():
        if attr is not None:
            child.set(key, attr)
    if value is not None:
        child.text = value
    return child


def explicit_and_image(parent: etree._Element, explicit: bool, image: str | None) -> None:
    if image:
        el(parent, "image", ns=ITUNES_NS, href=image)
    el(parent, "explicit", "true" if explicit else "false", ITUNES_NS)


def persons(parent: etree._Element, tags: tuple[PersonTag, ...]) -> None:
    for person in tags:
        el(
            parent,
            "person",
            person.name,
            PODCAST_NS,
            role=person.role,
            group=person.group,
            href=person.href,
            img=person.img,
        )


def license_tag(parent: etree._Element, license: tuple[str, str | None] | None) -> None:
    """``podcast:license``: an SPDX identifier, or a name with the URL of its text."""
    if license is not None:
        el(parent, "license", license[0], PODCAST_NS, url=license[1])


@dataclass(frozen=True)
class ItunesChannel:
    author: str = ""
    owner_name: str = ""
    owner_email: str = ""
    type: str = "episodic"
    new_feed_url: str | None = None
    block: bool = False
    complete: bool = False
    explicit: bool = False
    image: str | None = None
    categories: tuple[Category, ...] = ()


class ItunesFeed(BaseExtension):
    """The channel's ``itunes:`` tags (author, owner, type, image, explicit, categories)."""

    def __init__(self) -> None:
        self.tags = ItunesChannel()

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        channel, tags = feed[0], self.tags
        el(channel, "author", tags.author, ITUNES_NS)
        owner = el(channel, "owner", ns=ITUNES_NS)
        el(owner, "name", tags.owner_name, ITUNES_NS)
        el(owner, "email", tags.owner_email, ITUNES_NS)
        el(channel, "type", tags.type, ITUNES_NS)
        if tags.new_feed_url:
            el(channel, "new-feed-url", tags.new_feed_url, ITUNES_NS)
        if tags.block:
            el(channel, "block", "Yes", ITUNES_NS)
        if tags.complete:
            el(channel, "complete", "Yes", ITUNES_NS)
        explicit_and_image(channel, tags.explicit, tags.image)
        for category in tags.categories:
            top = el(channel, "category", ns=ITUNES_NS, text=category.name)
            if category.sub:
                el(top, "category", ns=ITUNES_NS, text=category.sub)
        return feed


@dataclass(frozen=True)
class ItunesItem:
    duration: float | None = None
    season: int | None = None
    number: int | None = None
    #: None for a ``podcast:liveItem``, which has no type
    episode_type: str | None = None
    explicit: bool = False
    image: str | None = None


class ItunesEntry(BaseEntryExtension):
    """An item's ``itunes:`` tags: duration in whole seconds, season, episode, type, image."""

    def __init__(self) -> None:
        self.tags = ItunesItem()

    def extend_rss(self, item: etree._Element) -> etree._Element:
        tags = self.tags
        if tags.duration:
            el(item, "duration", str(int(round(tags.duration))), ITUNES_NS)
        if tags.season is not None:
            el(item, "season", str(tags.season), ITUNES_NS)
        if tags.number is not None:
            el(item, "episode", str(tags.number), ITUNES_NS)
        if tags.episode_type is not None:
            el(item, "episodeType", tags.episode_type, ITUNES_NS)
        explicit_and_image(item, tags.explicit, tags.image)
        return item


@dataclass(frozen=True)
class PodcastChannel:
    guid: str = ""
    locked: bool = False
    owner_email: str = ""
    medium: str = "podcast"
    podping: bool = False
    funding: tuple[tuple[str, str], ...] = ()
    txt: tuple[tuple[str, str], ...] = ()
    update_frequency: tuple[str, str] | None = None
    license: tuple[str, str | None] | None = None
    trailers: tuple[Trailer, ...] = ()
    persons: tuple[PersonTag, ...] = ()
    #: each ``podcast:liveItem``, rendered as an item by feedgen (``rss.live_item``)
    live: tuple[etree._Element, ...] = ()


class PodcastFeed(BaseExtension):
    """The channel's Podcasting 2.0 tags, its trailers and its live streams."""

    def __init__(self) -> None:
        self.tags = PodcastChannel()

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        channel, tags = feed[0], self.tags
        el(channel, "guid", tags.guid, PODCAST_NS)
        locked = "yes" if tags.locked else "no"
        el(channel, "locked", locked, PODCAST_NS, owner=tags.owner_email)
        el(channel, "medium", tags.medium, PODCAST_NS)
        if tags.podping:  # apps that follow Podping can poll the feed less often
            el(channel, "podping", ns=PODCAST_NS, usesPodping="true")
        for url, text in tags.funding:
            el(channel, "funding", text, PODCAST_NS, url=url)
        for purpose, text in tags.txt:
            el(channel, "txt", text, PODCAST_NS, purpose=purpose)
        if tags.update_frequency:
            rrule, text = tags.update_frequency
            el(channel, "updateFrequency", text, PODCAST_NS, rrule=rrule)
        license_tag(channel, tags.license)
        for trailer in tags.trailers:
            el(
                channel,
                "trailer",
                trailer.title,
                PODCAST_NS,
                url=trailer.url,
                pubdate=trailer.pubdate,
                length=str(trailer.length),
                type=trailer.type,
                season=None if trailer.season is None else str(trailer.season),
            )
        persons(channel, tags.persons)
        for live in tags.live:
            channel.append(live)
        return feed


@dataclass(frozen=True)
class PodcastItem:
    season: int | None = None
    number: int | None = None
    license: tuple[str, str | None] | None = None
    persons: tuple[PersonTag, ...] = ()
    transcripts: tuple[TranscriptLink, ...] = ()
    chapters: ChaptersLink | None = None
    soundbites: tuple[Soundbite, ...] = ()
    #: ``podcast:contentLink``: (href, text)
    content_link: tuple[str, str] | None = None
    #: ``podcast:alternateEnclosure``: the enclosure (the default), then the same audio in
    #: other formats; empty when there are no others
    alternates: tuple[Enclosure, ...] = ()


class PodcastEntry(BaseEntryExtension):
    """An item's Podcasting 2.0 tags, in the order apps and validators have always seen."""

    def __init__(self) -> None:
        self.tags = PodcastItem()

    def extend_rss(self, item: etree._Element) -> etree._Element:
        tags = self.tags
        if tags.season is not None:
            el(item, "season", str(tags.season), PODCAST_NS)
        if tags.number is not None:
            el(item, "episode", str(tags.number), PODCAST_NS)
        license_tag(item, tags.license)
        persons(item, tags.persons)
        for link in tags.transcripts:
            el(
                item,
                "transcript",
                ns=PODCAST_NS,
                url=link.url,
                type=link.type,
                language=link.language,
                rel=link.rel,
            )
        if tags.chapters is not None:
            el(item, "chapters", ns=PODCAST_NS, url=tags.chapters.url, type=tags.chapters.type)
        for bite in tags.soundbites:
            start, duration = number(bite.start), number(bite.duration)
            el(item, "soundbite", bite.title, PODCAST_NS, startTime=start, duration=duration)
        if tags.content_link is not None:
            href, text = tags.content_link
            el(item, "contentLink", text, PODCAST_NS, href=href)
        alternate_enclosures(item, tags.alternates)
        return item


#: an ``alternateEnclosure``'s ``title`` (apps show it in a format picker), by media type
AUDIO_TITLES = {
    "audio/mpeg": "MP3",
    "audio/x-m4a": "AAC",
    "audio/mp4": "AAC",
    "audio/aac": "AAC",
    "audio/ogg": "Ogg",
    "audio/opus": "Opus",
    "audio/wav": "WAV",
}


def alternate_enclosures(item: etree._Element, media: tuple[Enclosure, ...]) -> None:
    """One ``podcast:alternateEnclosure`` each, its file as a ``podcast:source``. The first is
    the enclosure itself, marked ``default``, so an app that offers the formats offers it too.
    The length is always written, 0 when unknown as on the enclosure: the spec only recommends
    it, but Podcast Index's parser drops an alternate without one."""
    for index, enclosure in enumerate(media):
        tag = el(
            item,
            "alternateEnclosure",
            ns=PODCAST_NS,
            type=enclosure.type,
            length=str(max(enclosure.length, 0)),
            default="true" if index == 0 else None,
            title=AUDIO_TITLES.get(enclosure.type),
        )
        el(tag, "source", ns=PODCAST_NS, uri=enclosure.url)


class PscFeed(BaseExtension):
    """Only declares ``psc:`` on ``<rss>``: the chapters are the items'."""

    def extend_ns(self) -> dict[str, str]:
        return {"psc": PSC_NS}


@dataclass(frozen=True)
class PscItem:
    chapters: tuple[Chapter, ...] = ()
    #: an ``href`` on each chapter (``chapters.json`` has the links either way)
    links: bool = False


class PscEntry(BaseEntryExtension):
    """Podlove Simple Chapters 1.2: one ``psc:chapter`` per chapter, at its millisecond."""

    def __init__(self) -> None:
        self.tags = PscItem()

    def extend_rss(self, item: etree._Element) -> etree._Element:
        if not self.tags.chapters:
            return item
        block = el(item, "chapters", ns=PSC_NS, version="1.2")
        for chapter in self.tags.chapters:
            el(
                block,
                "chapter",
                ns=PSC_NS,
                start=format_clock(chapter.start, ms=True),
                title=chapter.title,
                href=chapter.url if self.tags.links else None,
            )
        return item


@dataclass(frozen=True)
class ChannelLinks:
    #: ``atom:link`` elements besides ``self``: (href, rel, type or None)
    links: tuple[tuple[str, str, str | None], ...] = ()
    #: no ``lastBuildDate``: no episode has a date and no ``SOURCE_DATE_EPOCH`` is set
    undated: bool = False


class ChannelLinksFeed(BaseExtension):
    """What feedgen's RSS channel cannot say: ``atom:link`` other than ``self`` (RFC 5005
    archives, the WebSub hub), put right after the ``self`` link where feeds have always had
    them; and no ``lastBuildDate`` when the build has no date of its own (feedgen stamps the
    clock's time, which would make the bytes differ on every build)."""

    def __init__(self) -> None:
        self.tags = ChannelLinks()

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        channel = feed[0]
        anchor = channel.find(f"{{{ATOM_NS}}}link[@rel='self']")
        assert anchor is not None, "rss.feed_generator always sets the self link"
        for href, rel, type_ in self.tags.links:
            link = etree.Element(f"{{{ATOM_NS}}}link", href=href, rel=rel)
            if type_ is not None:
                link.set("type", type_)
            anchor.addnext(link)
            anchor = link
        if self.tags.undated:
            for stamp in channel.findall("lastBuildDate"):
                channel.remove(stamp)
        return feed
