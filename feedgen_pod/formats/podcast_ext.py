"""A feedgen extension for the tags feedgen 1.0 cannot write: Podcasting 2.0, psc, Apple fixes.

* Podcasting 2.0 (``podcast:``, https://podcastindex.org/namespace/1.0): guid, locked, medium,
  person, season, episode, transcript, chapters, soundbite.
* Podlove Simple Chapters (``psc:chapters`` version 1.2) inside items.
* Apple tags feedgen gets wrong: ``itunes:explicit`` must be ``true``/``false`` (feedgen only
  writes yes/no/clean), ``itunes:image`` is silently dropped unless the URL ends in .jpg/.png,
  and feedgen's category list predates Apple's 2019 list (``Education/Courses`` is refused).

The tags are plain frozen values (``ChannelTags``, ``ItemTags``) handed to the extension, which
only turns them into elements: what goes in them is decided in ``rss.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree

from ..model import Category, Chapter
from ..times import format_clock
from .feedlinks import ChaptersLink, Soundbite, TranscriptLink

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
#: the name the extension is registered under (feedgen's own itunes extension took "podcast")
EXTENSION = "podcastindex"


@dataclass(frozen=True)
class PersonTag:
    name: str
    role: str = "host"
    href: str | None = None
    img: str | None = None
    group: str = "cast"


@dataclass(frozen=True)
class ChannelTags:
    guid: str
    locked: bool
    owner_email: str
    medium: str
    explicit: bool
    image: str
    categories: tuple[Category, ...] = ()
    persons: tuple[PersonTag, ...] = ()


@dataclass(frozen=True)
class ItemTags:
    explicit: bool
    image: str | None = None
    season: int | None = None
    episode: int | None = None
    persons: tuple[PersonTag, ...] = ()
    transcripts: tuple[TranscriptLink, ...] = ()
    chapters: ChaptersLink | None = None
    soundbites: tuple[Soundbite, ...] = ()
    psc_chapters: tuple[Chapter, ...] = ()


def number(value: float) -> str:
    """Seconds as the shortest exact text, at most 3 decimals: ``73.5``, ``120``."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _el(parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrs: str | None):
    el = etree.SubElement(parent, f"{{{ns}}}{tag}")
    for key, value in attrs.items():
        if value is not None:
            el.set(key, value)
    if text is not None:
        el.text = text
    return el


def _explicit_and_image(parent: etree._Element, explicit: bool, image: str | None) -> None:
    for old in parent.findall(f"{{{ITUNES_NS}}}explicit") + parent.findall(f"{{{ITUNES_NS}}}image"):
        parent.remove(old)
    if image:
        _el(parent, ITUNES_NS, "image", href=image)
    _el(parent, ITUNES_NS, "explicit", "true" if explicit else "false")


def _persons(parent: etree._Element, persons: tuple[PersonTag, ...]) -> None:
    for person in persons:
        _el(
            parent,
            PODCAST_NS,
            "person",
            person.name,
            role=person.role,
            group=person.group,
            href=person.href,
            img=person.img,
        )


class PodcastIndexExtension(BaseExtension):
    """Channel-level tags; set ``tags`` before rendering."""

    def __init__(self) -> None:
        self.tags: ChannelTags | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "psc": PSC_NS}

    def extend_rss(self, rss_feed: etree._Element) -> etree._Element:
        if self.tags is None:
            return rss_feed
        tags = self.tags
        channel = rss_feed[0]
        _explicit_and_image(channel, tags.explicit, tags.image)
        for category in tags.categories:
            el = _el(channel, ITUNES_NS, "category")
            el.set("text", category.name)
            if category.sub:
                _el(el, ITUNES_NS, "category").set("text", category.sub)
        _el(channel, PODCAST_NS, "guid", tags.guid)
        _el(channel, PODCAST_NS, "locked", "yes" if tags.locked else "no", owner=tags.owner_email)
        _el(channel, PODCAST_NS, "medium", tags.medium)
        _persons(channel, tags.persons)
        return rss_feed

    def extend_atom(self, atom_feed: etree._Element) -> etree._Element:
        return atom_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level tags; set ``tags`` on each entry."""

    def __init__(self) -> None:
        self.tags: ItemTags | None = None

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        if self.tags is None:
            return entry
        tags = self.tags
        _explicit_and_image(entry, tags.explicit, tags.image)
        if tags.season is not None:
            _el(entry, PODCAST_NS, "season", str(tags.season))
        if tags.episode is not None:
            _el(entry, PODCAST_NS, "episode", str(tags.episode))
        _persons(entry, tags.persons)
        for link in tags.transcripts:
            _el(
                entry,
                PODCAST_NS,
                "transcript",
                url=link.url,
                type=link.type,
                language=link.language,
                rel=link.rel,
            )
        if tags.chapters is not None:
            _el(entry, PODCAST_NS, "chapters", url=tags.chapters.url, type=tags.chapters.type)
        for bite in tags.soundbites:
            _el(
                entry,
                PODCAST_NS,
                "soundbite",
                bite.title,
                startTime=number(bite.start),
                duration=number(bite.duration),
            )
        if tags.psc_chapters:
            chapters = _el(entry, PSC_NS, "chapters", version="1.2")
            for chapter in tags.psc_chapters:
                _el(
                    chapters,
                    PSC_NS,
                    "chapter",
                    start=format_clock(chapter.start, ms=True),
                    title=chapter.title,
                    href=chapter.url,
                )
        return entry

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        return entry
