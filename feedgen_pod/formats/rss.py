"""The podcast RSS feed, ``dist/feed.xml``: RSS 2.0 with itunes, podcast, psc, content, atom.

Written by feedgen: a ``FeedGenerator`` for the channel and a ``FeedEntry`` for each item, with
the itunes, Podcasting 2.0 and Podlove tags as our own extensions (``podcast_ext``), all through
feedgen's public API. What feedgen would take from the clock is pinned: ``lastBuildDate`` is the
newest episode's date, else ``SOURCE_DATE_EPOCH``, else left out; ``generator`` and ``docs``
are set here; dates are written by feedgen in the C locale. An item is rendered on its own
(``item_xml``, with ``FeedEntry.rss_entry``) where its episode is built, and the channel is
assembled from those bytes: the same bytes feedgen writes for the whole feed
(``FeedGenerator.rss_str``, a test compares them). The same model gives the same bytes on any
machine; only a ``podcast:liveItem``'s status depends on the time (``Show.live_now``:
``SOURCE_DATE_EPOCH`` when set, else when the build started).

Item guid: the host feed item's guid when the episode came from one (so apps that already have
the episode do not show it twice), else ``uuid5(podcast:guid, slug)``: it stays the same as long
as the episode's file name and the show's ``podcast:guid`` do (set ``podcast_guid`` in the
config before moving ``feed_url``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime
from email.utils import format_datetime
from typing import TypeGuard

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from ..errors import Problem, Severity, display_path
from ..model import Episode, Show
from ..times import at_noon_utc
from . import Output, Rendered
from .channel_extras import ChannelExtras, channel_extras
from .feedlinks import chapters_link, persons, soundbites, transcript_links
from .notes import intro_html, plain_text, render_notes
from .podcast_ext import (
    NSMAP,
    PODCAST_NS,
    ChannelLinks,
    ChannelLinksFeed,
    ItunesChannel,
    ItunesEntry,
    ItunesFeed,
    ItunesItem,
    PodcastChannel,
    PodcastEntry,
    PodcastFeed,
    PodcastItem,
    PscEntry,
    PscFeed,
    PscItem,
    Trailer,
)

FEED_FILE = "feed.xml"
ARCHIVE_FILE = "feed-archive.xml"
RSS_TYPE = "application/rss+xml"
GENERATOR = "feedgen-pod"
#: the RSS 2.0 spec, named in ``<docs>`` as RSS 2.0 recommends
RSS_DOCS = "http://www.rssboard.org/rss-specification"
#: the earliest year a ``pubDate`` is written for: RFC 2822 years have four digits
EARLIEST_YEAR = 1000
#: feedgen's extensions, by prefix, in the order their tags follow feedgen's own; each pair is
#: (channel, item) extension class
EXTENSIONS = {
    "itunes": (ItunesFeed, ItunesEntry),
    "podcast": (PodcastFeed, PodcastEntry),
    "psc": (PscFeed, PscEntry),
}


def show_outputs(show: Show, episodes: Sequence[Episode]) -> Rendered:
    """``feed.xml``; with ``feed.max_items`` and more items than that, ``feed.xml`` keeps the
    newest and ``feed-archive.xml`` holds every item (RFC 5005 links between the two)."""
    built = build_date(show, episodes)
    items, problems = _items(show, episodes)
    extras, extra_problems = channel_extras(episodes)
    problems += extra_problems
    limit = show.feed.max_items
    if limit is None or len(items) <= limit:
        feed, too_large = _feed(show, built, items, extras)
        return Rendered((Output(FEED_FILE, feed),), tuple(problems + too_large))
    archive_url = show.feed_url.rsplit("/", 1)[0] + "/" + ARCHIVE_FILE
    current, too_large = _feed(show, built, items[:limit], extras, prev_archive=archive_url)
    archive, archive_too_large = _feed(show, built, items, extras, archive_url=archive_url)
    outputs = (Output(FEED_FILE, current), Output(ARCHIVE_FILE, archive))
    return Rendered(outputs, tuple(problems + too_large + archive_too_large))


def build_date(show: Show, episodes: Sequence[Episode]) -> datetime | None:
    """Newest date of an episode in the feed (one with audio) at noon UTC; the build's
    ``SOURCE_DATE_EPOCH`` (``Show.build_time``) only when no such episode has a date."""
    days = [e.pub_date for e in episodes if _writable(e.pub_date) and e.audio is not None]
    if days:
        return at_noon_utc(max(days))
    return show.build_time


def _writable(day: date | None) -> TypeGuard[date]:
    """A date an RFC 2822 ``pubDate`` can hold as feedgen writes it (with ``strftime``, whose
    year has as many digits as it needs: year 86 would be read as 1986)."""
    return day is not None and day.year >= EARLIEST_YEAR


def feed_xml(show: Show, episodes: Sequence[Episode]) -> tuple[bytes, list[Problem]]:
    """The whole feed, every item in it; an episode's ``feed_item`` is used as it is."""
    items, problems = _items(show, episodes)
    extras, extra_problems = channel_extras(episodes)
    feed, too_large = _feed(show, build_date(show, episodes), items, extras)
    return feed, problems + extra_problems + too_large


def _items(show: Show, episodes: Sequence[Episode]) -> tuple[list[bytes], list[Problem]]:
    """Each episode's ``<item>`` (rendered in a worker, or here), in the build's order."""
    items: list[bytes] = []
    problems: list[Problem] = []
    numbered: dict[tuple[int, int], Episode] = {}
    for episode in episodes:
        if episode.audio is None:
            continue  # reported by the audio resolver; a feed item needs an enclosure
        item = episode.feed_item
        if item is None:
            item, found = item_xml(show, episode)
            problems += found
        items.append(item)
        if episode.season is not None and episode.number is not None:
            key = (episode.season, episode.number)
            if key in numbered:
                problems.append(_duplicate(episode, numbered[key]))
            numbered.setdefault(key, episode)
    return items, problems


def _feed(
    show: Show,
    built: datetime | None,
    items: list[bytes],
    extras: ChannelExtras,
    prev_archive: str | None = None,
    archive_url: str | None = None,
) -> tuple[bytes, list[Problem]]:
    """The channel with ``items`` spliced in as bytes (one lxml tree of every item, ≈150 MB of
    XML at 10,000 episodes, was the build's memory peak); a feed over ``feed.warn_mb`` is
    reported."""
    channel = feed_generator(show, built, extras, prev_archive, archive_url)
    head, tail = _channel_bytes(channel)
    data = b"".join([head, *items, tail])
    if len(data) <= show.feed.warn_bytes:
        return data, []
    too_large = Problem(
        ARCHIVE_FILE if archive_url else FEED_FILE,
        None,
        "feed",
        f"{len(data) / 1e6:.1f} MB, over feed.warn_mb ({show.feed.warn_bytes / 1e6:g}); "
        "apps download the whole feed at every poll (some refuse large ones): set "
        "feed.max_items, or leave out chapters.psc_links",
        Severity.WARNING,
        kind="feed-too-large",
    )
    return data, [too_large]


def item_xml(show: Show, episode: Episode) -> tuple[bytes, list[Problem]]:
    """One episode's ``<item>``, byte for byte as ``feed_xml`` writes it (the episode needs
    its audio), and its problems. Made where the episode is built, so a feed of thousands of
    episodes is assembled from bytes, and a rebuild renders only the items of what changed."""
    entry, problems = feed_entry(show, episode)
    return item_bytes(entry.rss_entry()), problems


def item_bytes(item: etree._Element) -> bytes:
    """An ``<item>`` as it is in the feed: indented for its place in the channel, its
    namespaces declared on ``<rss>`` (as ``FeedGenerator.rss_str(pretty=True)`` writes it)."""
    wrapper = etree.Element("rss", nsmap=NSMAP)
    etree.SubElement(wrapper, "channel").append(item)
    text = etree.tostring(wrapper, pretty_print=True, encoding="UTF-8")
    start = text.index(b"<channel>\n") + len(b"<channel>\n")
    return text[start : text.rindex(_CHANNEL_END)]


def _new_entry() -> FeedEntry:
    """A ``FeedEntry`` with our item extensions (``entry.itunes``, ``entry.podcast``, ...)."""
    entry = FeedEntry()
    for prefix, (_, item_extension) in EXTENSIONS.items():
        entry.register_extension(prefix, item_extension)
    return entry


def feed_generator(
    show: Show,
    built: datetime | None,
    extras: ChannelExtras,
    prev_archive: str | None = None,
    archive_url: str | None = None,
) -> FeedGenerator:
    """The feed's channel as a ``FeedGenerator`` without items; an archive (``archive_url``)
    links to the current feed, the current feed to its archive (``prev_archive``, RFC 5005)."""
    fg = FeedGenerator()
    for prefix, (channel_extension, item_extension) in EXTENSIONS.items():
        fg.register_extension(prefix, channel_extension, item_extension, atom=False)
    fg.register_extension("channel_links", ChannelLinksFeed, atom=False)
    fg.title(show.title)
    fg.description(as_html(plain_text(show.description)) or as_html(show.title))
    fg.link(href=archive_url or show.feed_url, rel="self", type=RSS_TYPE)
    fg.link(href=show.site_url, rel="alternate")  # the last link is the RSS <link>
    if show.copyright:
        fg.copyright(show.copyright)
    fg.docs(RSS_DOCS)
    fg.generator(GENERATOR)
    fg.image(url=show.image_url, title=show.title, link=show.site_url)
    fg.language(show.language)
    if built is not None:
        fg.lastBuildDate(built)
    links: list[tuple[str, str, str | None]] = []
    if prev_archive:
        links.append((prev_archive, "prev-archive", RSS_TYPE))
    if archive_url:
        links.append((show.feed_url, "current", RSS_TYPE))
    for hub in show.publish.websub_hubs:  # a WebSub subscriber needs the hub and self
        links.append((hub, "hub", None))
    fg.channel_links.tags = ChannelLinks(tuple(links), undated=built is None)
    feed = show.feed
    fg.itunes.tags = ItunesChannel(
        show.author,
        show.owner_name,
        show.owner_email,
        show.type,
        feed.new_feed_url,
        feed.block,
        feed.complete,
        show.explicit,
        show.image_url,
        show.categories,
    )
    fg.podcast.tags = PodcastChannel(
        guid=show.podcast_guid or "",
        locked=show.locked,
        owner_email=show.owner_email,
        medium=show.medium,
        podping=show.publish.podping,
        funding=feed.funding,
        txt=feed.txt,
        update_frequency=feed.update_frequency,
        license=feed.license,
        trailers=tuple(_trailer(e) for e in extras.trailers),
        persons=persons(show, None),
        live=tuple(live_item(show, e) for e in extras.live),
    )
    return fg


def _trailer(episode: Episode) -> Trailer:
    assert episode.audio is not None and episode.pub_moment is not None
    enclosure = episode.audio.enclosure
    pubdate = format_datetime(episode.pub_moment)
    return Trailer(
        episode.title, enclosure.url, pubdate, enclosure.length, enclosure.type, episode.season
    )


#: where the items go: before the channel's end tag
_CHANNEL_END = b"  </channel>\n"


def _channel_bytes(fg: FeedGenerator) -> tuple[bytes, bytes]:
    """The feed without items, cut where the items go (after every channel tag)."""
    whole = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    cut = whole.rindex(_CHANNEL_END)
    return whole[:cut], whole[cut:]


def as_html(text: str) -> str:
    """Plain text for an element apps read as HTML (``description``): ``R&D`` becomes
    ``R&amp;D`` (``R&amp;amp;D`` in the XML), so no app or validator sees a bare ``&`` or
    ``<`` and the title round-trips."""
    return html.escape(text, quote=False)


def _common(entry: FeedEntry, show: Show, episode: Episode) -> str:
    """What an item and a live item share: title, link, description, guid; the page."""
    page = show.episode_page(episode)
    entry.title(episode.title)
    entry.link(href=page)
    summary = plain_text(episode.intro or episode.description) or episode.title
    entry.description(as_html(summary))
    entry.guid(show.item_guid(episode), permalink=False)
    return page


def live_item(show: Show, episode: Episode) -> etree._Element:
    """A ``podcast:liveItem``: written by feedgen like an item, with the stream as its
    enclosure (apps require one), the page to watch it as its ``podcast:contentLink``
    (required as the fallback for apps that cannot play the stream), and its guid the one
    its item will have."""
    live = episode.live
    assert live is not None
    now = show.live_now or show.build_time
    entry = _new_entry()
    page = _common(entry, show, episode)
    entry.enclosure(live.stream, 0, live.type)
    image = show.absolute(episode.image)
    entry.itunes.tags = ItunesItem(explicit=show.item_explicit(episode), image=image)
    entry.podcast.tags = PodcastItem(
        license=episode.license,
        persons=persons(show, episode),
        content_link=(live.url or page, "Watch live"),
    )
    item = entry.rss_entry()
    item.tag = f"{{{PODCAST_NS}}}liveItem"
    item.set("status", live.status(now))
    item.set("start", live.start.isoformat())
    if live.end:
        item.set("end", live.end.isoformat())
    return item


def _duplicate(episode: Episode, first: Episode) -> Problem:
    """Two items with one season and number: both stay (apps key on guid), but say so."""
    return Problem(
        display_path(episode.source),
        episode.line_of("episode"),
        "episode",
        f"season {episode.season} episode {episode.number} is also "
        f"{display_path(first.source)}; both are in the feed, renumber one",
        Severity.WARNING,
        kind="episode-number-duplicate",
    )


def _no_pub_date(episode: Episode) -> Problem:
    """An item without ``pubDate``: no date at all, or one before the year 1000."""
    where, line = display_path(episode.source), episode.line_of("date")
    day = episode.pub_date
    if day is None:
        message = (
            "no publication date (no 'dateadded'/'date' and none from the host feed); "
            "the feed item has no pubDate, which Apple requires"
        )
        return Problem(where, line, "date", message, Severity.WARNING, kind="episode-no-date")
    message = (
        f"{day.isoformat()} is before the year {EARLIEST_YEAR}: the feed item has no pubDate "
        "(RFC 2822 dates have four-digit years), which Apple requires; correct the date"
    )
    return Problem(where, line, "date", message, Severity.WARNING, kind="episode-date-too-early")


def feed_entry(show: Show, episode: Episode) -> tuple[FeedEntry, list[Problem]]:
    """The episode's item as a ``FeedEntry`` (the episode needs its audio), and its problems."""
    assert episode.audio is not None
    problems: list[Problem] = []
    entry = _new_entry()
    page = _common(entry, show, episode)
    notes = intro_html(episode.intro) + render_notes(episode.notes, page)
    if notes:
        entry.content(notes, type="CDATA")
    enclosure = episode.audio.enclosure
    entry.enclosure(enclosure.url, enclosure.length, enclosure.type)
    moment = episode.pub_moment  # the file's time of day and zone, else noon UTC of its day
    if _writable(moment):
        entry.pubDate(moment)
    else:
        problems.append(_no_pub_date(episode))
    image = show.absolute(episode.image)
    entry.itunes.tags = ItunesItem(
        episode.duration,
        episode.season,
        episode.number,
        episode.episode_type,
        show.item_explicit(episode),
        image,
    )
    youtube = None
    if episode.youtube_id:  # the id, not links.youtube: a summary keeps only the id
        youtube = (f"https://www.youtube.com/watch?v={episode.youtube_id}", "Watch on YouTube")
    entry.podcast.tags = PodcastItem(
        episode.season,
        episode.number,
        episode.license,
        persons(show, episode),
        tuple(transcript_links(show, episode)),
        chapters_link(show, episode),
        tuple(soundbites(episode, show.feed.soundbites_max)),
        youtube,
        (enclosure, *episode.audio.alternates) if episode.audio.alternates else (),
    )
    entry.psc.tags = PscItem(episode.chapters, links=show.feed.psc_links)
    return entry, problems
