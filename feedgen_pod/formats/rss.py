"""The podcast RSS feed, ``dist/feed.xml``: RSS 2.0 with itunes, podcast, psc, content, atom.

Written with lxml, element by element, so every byte is ours to decide: ``lastBuildDate`` is the
newest episode's date, else ``SOURCE_DATE_EPOCH``, else left out (never the wall clock), and an
item can be rendered on its own, in a worker, byte for byte as the whole feed holds it. The
namespaced tags are written by ``podcast_ext``. The same model gives the same bytes on any
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
from datetime import datetime
from email.utils import format_datetime

from lxml import etree

from ..errors import Problem, Severity, display_path
from ..model import Episode, Person, Show
from ..times import at_noon_utc
from . import Output
from . import podcast_ext as tags
from .channel_extras import ChannelExtras, channel_extras
from .feedlinks import chapters_link, soundbites, transcript_links
from .notes import intro_html, plain_text, render_notes
from .podcast_ext import ATOM_NS, CONTENT_NS, ITUNES_NS, NSMAP, PODCAST_NS, PersonTag, el

FEED_FILE = "feed.xml"
ARCHIVE_FILE = "feed-archive.xml"
RSS_TYPE = "application/rss+xml"
GENERATOR = "feedgen-pod"
#: the RSS 2.0 spec, named in ``<docs>`` as RSS 2.0 recommends
RSS_DOCS = "http://www.rssboard.org/rss-specification"


def show_outputs(show: Show, episodes: Sequence[Episode], problems: list[Problem]) -> list[Output]:
    """``feed.xml``; with ``feed.max_items`` and more items than that, ``feed.xml`` keeps the
    newest and ``feed-archive.xml`` holds every item (RFC 5005 links between the two)."""
    built = build_date(show, episodes)
    items = _items(show, episodes, problems)
    extras = channel_extras(episodes, problems)
    limit = show.feed.max_items
    if limit is None or len(items) <= limit:
        return [Output(FEED_FILE, _feed(show, built, items, problems, extras))]
    archive_url = show.feed_url.rsplit("/", 1)[0] + "/" + ARCHIVE_FILE
    return [
        Output(
            FEED_FILE,
            _feed(show, built, items[:limit], problems, extras, prev_archive=archive_url),
        ),
        Output(ARCHIVE_FILE, _feed(show, built, items, problems, extras, archive_url=archive_url)),
    ]


def build_date(show: Show, episodes: Sequence[Episode]) -> datetime | None:
    """Newest date of an episode in the feed (one with audio) at noon UTC; the build's
    ``SOURCE_DATE_EPOCH`` (``Show.build_time``) only when no such episode has a date."""
    days = [e.pub_date for e in episodes if e.pub_date and e.audio is not None]
    if days:
        return at_noon_utc(max(days))
    return show.build_time


def person_tag(show: Show, person: Person, role: str) -> PersonTag:
    href = person.website_url or (person.same_as[0] if person.same_as else None)
    return PersonTag(person.name, role, href, show.absolute(person.picture))


def _persons(show: Show, episode: Episode | None) -> tuple[PersonTag, ...]:
    """Hosts, then guests who are not hosts (one tag per person)."""
    found = [person_tag(show, host, "host") for host in show.hosts]
    hosts = {h.key for h in show.hosts}
    if episode is not None:
        found += [person_tag(show, g, "guest") for g in episode.guests if g.key not in hosts]
    return tuple(found)


def feed_xml(
    show: Show,
    episodes: Sequence[Episode],
    problems: list[Problem],
) -> bytes:
    """The whole feed, every item in it; an episode's ``feed_item`` is used as it is."""
    items = _items(show, episodes, problems)
    extras = channel_extras(episodes, problems)
    return _feed(show, build_date(show, episodes), items, problems, extras)


def _items(show: Show, episodes: Sequence[Episode], problems: list[Problem]) -> list[bytes]:
    """Each episode's ``<item>`` (rendered in a worker, or here), in the build's order."""
    items = []
    numbered: dict[tuple[int, int], Episode] = {}
    for episode in episodes:
        if episode.audio is None:
            continue  # reported by the audio resolver; a feed item needs an enclosure
        item = episode.feed_item
        items.append(item if item is not None else item_xml(show, episode, problems))
        if episode.season is not None and episode.number is not None:
            key = (episode.season, episode.number)
            if key in numbered:
                problems.append(_duplicate(episode, numbered[key]))
            numbered.setdefault(key, episode)
    return items


def _feed(
    show: Show,
    built: datetime | None,
    items: list[bytes],
    problems: list[Problem],
    extras: ChannelExtras,
    prev_archive: str | None = None,
    archive_url: str | None = None,
) -> bytes:
    """The channel with ``items`` spliced in as bytes: one lxml tree of every item (≈150 MB of
    XML at 10,000 episodes) was the build's memory peak."""
    head, tail = _channel_bytes(_channel(show, built, extras, prev_archive, archive_url))
    data = b"".join([head, *items, tail])
    if len(data) > show.feed.warn_bytes:
        name = ARCHIVE_FILE if archive_url else FEED_FILE
        problems.append(
            Problem(
                name,
                None,
                "feed",
                f"{len(data) / 1e6:.1f} MB, over feed.warn_mb ({show.feed.warn_bytes / 1e6:g}); "
                "apps download the whole feed at every poll (some refuse large ones): set "
                "feed.max_items, or leave out chapters.psc_links",
                Severity.WARNING,
                kind="feed-too-large",
            )
        )
    return data


def item_xml(show: Show, episode: Episode, problems: list[Problem]) -> bytes:
    """One episode's ``<item>``, byte for byte as ``feed_xml`` writes it (the episode needs
    its audio). Made where the episode is built, so a feed of thousands of episodes is
    assembled from bytes, and a rebuild renders only the items of what changed."""
    wrapper = etree.Element("rss", nsmap=NSMAP)
    channel = el(wrapper, "channel")
    _item(channel, show, episode, problems)
    text = etree.tostring(wrapper, pretty_print=True, encoding="UTF-8")
    start = text.index(b"<channel>\n") + len(b"<channel>\n")
    return text[start : text.rindex(_CHANNEL_END)]


def _channel(
    show: Show,
    built: datetime | None,
    extras: ChannelExtras,
    prev_archive: str | None = None,
    archive_url: str | None = None,
) -> etree._Element:
    """The feed's ``<rss>`` with its channel, without items; an archive (``archive_url``)
    links to the current feed, the current feed to its archive (``prev_archive``, RFC 5005)."""
    rss = etree.Element("rss", nsmap=NSMAP)
    rss.set("version", "2.0")
    channel = el(rss, "channel")
    el(channel, "title", show.title)
    el(channel, "link", show.site_url)
    el(channel, "description", as_html(plain_text(show.description)))
    self_url = archive_url or show.feed_url
    el(channel, "link", ns=ATOM_NS, href=self_url, rel="self", type="application/rss+xml")
    if prev_archive:
        el(channel, "link", ns=ATOM_NS, href=prev_archive, rel="prev-archive", type=RSS_TYPE)
    if archive_url:
        el(channel, "link", ns=ATOM_NS, href=show.feed_url, rel="current", type=RSS_TYPE)
    publish = show.sections.get("publish", {})
    for hub in publish.get("websub_hubs", ()):  # a WebSub subscriber needs the hub and self
        el(channel, "link", ns=ATOM_NS, href=str(hub), rel="hub")
    if show.copyright:
        el(channel, "copyright", show.copyright)
    el(channel, "docs", RSS_DOCS)
    el(channel, "generator", GENERATOR)
    image = el(channel, "image")
    el(image, "url", show.image_url)
    el(image, "title", show.title)
    el(image, "link", show.site_url)
    el(channel, "language", show.language)
    if built is not None:
        el(channel, "lastBuildDate", format_datetime(built))
    el(channel, "author", show.author, ITUNES_NS)
    owner = el(channel, "owner", ns=ITUNES_NS)
    el(owner, "name", show.owner_name, ITUNES_NS)
    el(owner, "email", show.owner_email, ITUNES_NS)
    el(channel, "type", show.type, ITUNES_NS)
    feed = show.feed
    if feed.new_feed_url:
        el(channel, "new-feed-url", feed.new_feed_url, ITUNES_NS)
    if feed.block:
        el(channel, "block", "Yes", ITUNES_NS)
    if feed.complete:
        el(channel, "complete", "Yes", ITUNES_NS)
    tags.explicit_and_image(channel, show.explicit, show.image_url)
    tags.categories(channel, show.categories)
    el(channel, "guid", show.podcast_guid or "", PODCAST_NS)
    el(channel, "locked", "yes" if show.locked else "no", PODCAST_NS, owner=show.owner_email)
    el(channel, "medium", show.medium, PODCAST_NS)
    if publish.get("podping"):  # apps that follow Podping can poll the feed less often
        el(channel, "podping", ns=PODCAST_NS, usesPodping="true")
    for url, text in feed.funding:
        el(channel, "funding", text, PODCAST_NS, url=url)
    for purpose, text in feed.txt:
        el(channel, "txt", text, PODCAST_NS, purpose=purpose)
    if feed.update_frequency:
        rrule, text = feed.update_frequency
        el(channel, "updateFrequency", text, PODCAST_NS, rrule=rrule)
    tags.license_tag(channel, feed.license)
    for episode in extras.trailers:
        assert episode.audio is not None and episode.pub_moment is not None
        pubdate = format_datetime(episode.pub_moment)
        tags.trailer(channel, episode.title, episode.audio.enclosure, pubdate, episode.season)
    tags.persons(channel, _persons(show, None))
    for episode in extras.live:
        live_item(channel, show, episode)
    return rss


#: where the items go: before the channel's end tag
_CHANNEL_END = b"  </channel>\n"


def _channel_bytes(rss: etree._Element) -> tuple[bytes, bytes]:
    """The feed without items, cut where the items go (after every channel tag)."""
    whole = etree.tostring(rss, pretty_print=True, encoding="UTF-8", xml_declaration=True)
    cut = whole.rindex(_CHANNEL_END)
    return whole[:cut], whole[cut:]


def as_html(text: str) -> str:
    """Plain text for an element apps read as HTML (``description``): ``R&D`` becomes
    ``R&amp;D`` (``R&amp;amp;D`` in the XML), so no app or validator sees a bare ``&`` or
    ``<`` and the title round-trips."""
    return html.escape(text, quote=False)


def live_item(channel: etree._Element, show: Show, episode: Episode) -> None:
    """A ``podcast:liveItem``: like an item, with the stream as its enclosure (apps require
    one), the page to watch it as its ``podcast:contentLink`` (required as the fallback for
    apps that cannot play the stream), and its guid the one its item will have."""
    live = episode.live
    assert live is not None
    now = show.live_now or show.build_time
    item = el(
        channel,
        "liveItem",
        ns=PODCAST_NS,
        status=live.status(now),
        start=live.start.isoformat(),
        end=live.end.isoformat() if live.end else None,
    )
    page = show.episode_page(episode)
    el(item, "title", episode.title)
    el(item, "link", page)
    summary = plain_text(episode.intro or episode.description) or episode.title
    el(item, "description", as_html(summary))
    el(item, "guid", show.item_guid(episode), isPermaLink="false")
    el(item, "enclosure", url=live.stream, length="0", type=live.type)
    tags.explicit_and_image(item, show.explicit, show.absolute(episode.image))
    tags.license_tag(item, episode.license)
    tags.persons(item, _persons(show, episode))
    el(item, "contentLink", "Watch live", PODCAST_NS, href=live.url or page)


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


def _item(channel: etree._Element, show: Show, episode: Episode, problems: list[Problem]) -> None:
    assert episode.audio is not None
    item = el(channel, "item")
    page = show.episode_page(episode)
    el(item, "title", episode.title)
    el(item, "link", page)
    summary = plain_text(episode.intro or episode.description) or episode.title
    el(item, "description", as_html(summary))
    notes = intro_html(episode.intro) + render_notes(episode.notes, page)
    if notes:
        el(item, "encoded", ns=CONTENT_NS).text = etree.CDATA(notes)
    el(item, "guid", show.item_guid(episode), isPermaLink="false")
    enclosure = episode.audio.enclosure
    el(item, "enclosure", url=enclosure.url, length=str(enclosure.length), type=enclosure.type)
    moment = episode.pub_moment  # the file's time of day and zone, else noon UTC of its day
    if moment is not None:
        el(item, "pubDate", format_datetime(moment))
    else:
        problems.append(
            Problem(
                display_path(episode.source),
                episode.line_of("date"),
                "date",
                "no publication date (no 'dateadded'/'date' and none from the host feed); "
                "the feed item has no pubDate, which Apple requires",
                Severity.WARNING,
                kind="episode-no-date",
            )
        )
    if episode.duration:
        el(item, "duration", str(int(round(episode.duration))), ITUNES_NS)
    if episode.season is not None:
        el(item, "season", str(episode.season), ITUNES_NS)
    if episode.number is not None:
        el(item, "episode", str(episode.number), ITUNES_NS)
    el(item, "episodeType", episode.episode_type, ITUNES_NS)
    tags.explicit_and_image(item, show.explicit, show.absolute(episode.image))
    if episode.season is not None:
        el(item, "season", str(episode.season), PODCAST_NS)
    if episode.number is not None:
        el(item, "episode", str(episode.number), PODCAST_NS)
    tags.license_tag(item, episode.license)
    tags.persons(item, _persons(show, episode))
    tags.transcripts(item, tuple(transcript_links(show, episode)))
    tags.chapters_link(item, chapters_link(show, episode))
    tags.soundbites(item, tuple(soundbites(episode, show.feed.soundbites_max)))
    if episode.youtube_id:  # the id, not links.youtube: a summary keeps only the id
        href = f"https://www.youtube.com/watch?v={episode.youtube_id}"
        el(item, "contentLink", "Watch on YouTube", PODCAST_NS, href=href)
    tags.psc_chapters(item, episode.chapters, links=show.feed.psc_links)
