"""The feed's namespaced tags (RSS extensions): itunes, Podcasting 2.0 and Podlove Simple Chapters.

* Apple (``itunes:``): ``explicit`` is ``true``/``false``, ``image`` any https URL, categories
  from Apple's 2019 list (``apple_categories``).
* Podcasting 2.0 (``podcast:``, https://podcastindex.org/namespace/1.0): guid, locked, medium,
  person, season, episode, transcript, chapters, soundbite, license, trailer.
* Podlove Simple Chapters (``psc:chapters`` version 1.2) inside items.

Each function appends elements to an lxml element; what goes in them is decided in ``rss.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..model import Category, Chapter, Enclosure
from ..times import format_clock
from .feedlinks import ChaptersLink, Soundbite, TranscriptLink

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
#: the feed's namespaces, declared on ``<rss>`` in this order
NSMAP = {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "psc": PSC_NS, "atom": ATOM_NS}
NSMAP["content"] = CONTENT_NS


@dataclass(frozen=True)
class PersonTag:
    name: str
    role: str = "host"
    href: str | None = None
    img: str | None = None
    group: str = "cast"


def number(value: float) -> str:
    """Seconds as the shortest exact text, at most 3 decimals: ``73.5``, ``120``."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def el(parent, tag: str, value: str | None = None, ns: str | None = None, **attrs: str | None):
    """A child element ``tag`` (in namespace ``ns``) holding ``value``, with the attributes
    that are not None."""
    child = etree.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag)
    for key, attr in attrs.items():
        if attr is not None:
            child.set(key, attr)
    if value is not None:
        child.text = value
    return child


def explicit_and_image(parent, explicit: bool, image: str | None) -> None:
    if image:
        el(parent, "image", ns=ITUNES_NS, href=image)
    el(parent, "explicit", "true" if explicit else "false", ITUNES_NS)


def categories(parent, cats: tuple[Category, ...]) -> None:
    for category in cats:
        top = el(parent, "category", ns=ITUNES_NS, text=category.name)
        if category.sub:
            el(top, "category", ns=ITUNES_NS, text=category.sub)


def persons(parent, tags: tuple[PersonTag, ...]) -> None:
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


def transcripts(parent, links: tuple[TranscriptLink, ...]) -> None:
    for link in links:
        el(
            parent,
            "transcript",
            ns=PODCAST_NS,
            url=link.url,
            type=link.type,
            language=link.language,
            rel=link.rel,
        )


def chapters_link(parent, link: ChaptersLink | None) -> None:
    if link is not None:
        el(parent, "chapters", ns=PODCAST_NS, url=link.url, type=link.type)


def soundbites(parent, bites: tuple[Soundbite, ...]) -> None:
    for bite in bites:
        el(
            parent,
            "soundbite",
            bite.title,
            PODCAST_NS,
            startTime=number(bite.start),
            duration=number(bite.duration),
        )


def license_tag(parent, license: tuple[str, str | None] | None) -> None:
    """``podcast:license``: an SPDX identifier, or a name with the URL of its text."""
    if license is not None:
        el(parent, "license", license[0], PODCAST_NS, url=license[1])


def trailer(parent, title: str, enclosure: Enclosure, pubdate: str, season: int | None) -> None:
    """``podcast:trailer``: like an enclosure, plus its RFC 2822 ``pubdate`` and season."""
    el(
        parent,
        "trailer",
        title,
        PODCAST_NS,
        url=enclosure.url,
        pubdate=pubdate,
        length=str(enclosure.length),
        type=enclosure.type,
        season=None if season is None else str(season),
    )


def psc_chapters(parent, chapters: tuple[Chapter, ...], links: bool) -> None:
    """Podlove Simple Chapters; ``href`` per chapter only when ``links`` (chapters.json has
    them, and they were a large share of the feed's bytes)."""
    if not chapters:
        return
    block = el(parent, "chapters", ns=PSC_NS, version="1.2")
    for chapter in chapters:
        el(
            block,
            "chapter",
            ns=PSC_NS,
            start=format_clock(chapter.start, ms=True),
            title=chapter.title,
            href=chapter.url if links else None,
        )
