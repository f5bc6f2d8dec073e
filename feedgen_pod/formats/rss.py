"""The podcast RSS feed, ``dist/feed.xml``: RSS 2.0 with itunes, podcast, psc, content, atom.

Built with feedgen, minus its traps: ``add_entry`` prepends (we append, keeping the build's
newest-first order); ``lastBuildDate`` defaults to now (we take the newest episode's date, else
``SOURCE_DATE_EPOCH``, else leave it out); ``itunes:explicit``, ``itunes:image`` and
``itunes:category`` are written by our extension (see ``podcast_ext``). The same model gives
the same bytes on any machine.

Item guid: the host feed item's guid when the episode came from one (so apps that already have
the episode do not show it twice), else ``uuid5(podcast:guid, slug)``: it stays the same as long
as the episode's file name and the show's ``podcast:guid`` do (set ``podcast_guid`` in the
config before moving ``feed_url``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from ..errors import Problem, Severity, display_path
from ..model import Episode, Person, Show
from ..times import at_noon_utc
from . import Output
from .feedlinks import chapters_link, soundbites, transcript_links
from .notes import intro_html, plain_text, render_notes
from .podcast_ext import (
    EXTENSION,
    ChannelTags,
    ItemTags,
    PersonTag,
    PodcastIndexEntryExtension,
    PodcastIndexExtension,
)

FEED_FILE = "feed.xml"
GENERATOR = "feedgen-pod"


def show_outputs(show: Show, episodes: Sequence[Episode], problems: list[Problem]) -> list[Output]:
    return [Output(FEED_FILE, feed_xml(show, episodes, problems))]


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
    tags = [person_tag(show, host, "host") for host in show.hosts]
    hosts = {h.key for h in show.hosts}
    if episode is not None:
        tags += [person_tag(show, g, "guest") for g in episode.guests if g.key not in hosts]
    return tuple(tags)


def feed_xml(
    show: Show,
    episodes: Sequence[Episode],
    problems: list[Problem],
) -> bytes:
    """The whole feed; an episode's ``feed_item`` is used as it is (see ``item_xml``)."""
    fg = _channel(show, episodes)
    # the items are rendered one at a time and spliced into the channel as bytes: one lxml
    # tree of every item (≈150 MB of XML at 10,000 episodes) was the build's memory peak
    head, tail = _channel_bytes(fg)
    wrapper = _item_wrapper(fg)
    parts = [head]
    numbered: dict[tuple[int, int], Episode] = {}
    for episode in episodes:
        if episode.audio is None:
            continue  # reported by the audio resolver; a feed item needs an enclosure
        item = episode.feed_item
        parts.append(item if item is not None else _item(fg, wrapper, show, episode, problems))
        if episode.season is not None and episode.number is not None:
            key = (episode.season, episode.number)
            if key in numbered:
                problems.append(_duplicate(episode, numbered[key]))
            numbered.setdefault(key, episode)
    parts.append(tail)
    return b"".join(parts)


def item_xml(show: Show, episode: Episode, problems: list[Problem]) -> bytes:
    """One episode's ``<item>``, byte for byte as ``feed_xml`` writes it (the episode needs
    its audio). Made where the episode is built, so a feed of thousands of episodes is
    assembled from bytes, and a rebuild renders only the items of what changed."""
    global _ITEM_CONTEXT
    if _ITEM_CONTEXT is None or _ITEM_CONTEXT[0] is not show:
        fg = _channel(show, ())
        _ITEM_CONTEXT = (show, fg, _item_wrapper(fg))
    _, fg, wrapper = _ITEM_CONTEXT
    return _item(fg, wrapper, show, episode, problems)


#: the channel an item is rendered in, for the last show seen (a build has one show)
_ITEM_CONTEXT: tuple[Show, FeedGenerator, etree._Element] | None = None


def _item(
    fg: FeedGenerator,
    wrapper: etree._Element,
    show: Show,
    episode: Episode,
    problems: list[Problem],
) -> bytes:
    fe = fg.add_entry(order="append")
    try:
        _fill_item(fe, show, episode, problems)
        return _item_bytes(wrapper, fe.rss_entry())
    finally:
        fg.remove_entry(fe)


def _channel(show: Show, episodes: Sequence[Episode]) -> FeedGenerator:
    """The feed's channel, with no items."""
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension(EXTENSION, PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.title(show.title)
    # feedgen's RSS <link> is the *last* link added: self first, then the site
    fg.link(href=show.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=show.site_url, rel="alternate")
    fg.description(as_html(plain_text(show.description)))
    fg.language(show.language)
    fg.generator(GENERATOR)
    if show.copyright:
        fg.copyright(show.copyright)
    fg.image(url=show.image_url, title=show.title, link=show.site_url)
    fg.podcast.itunes_author(show.author)
    fg.podcast.itunes_owner(name=show.owner_name, email=show.owner_email)
    fg.podcast.itunes_type(show.type)
    built = build_date(show, episodes)
    # feedgen stamps now() and has no way to unset it: clear it when there is no date to use
    fg._FeedGenerator__rss_lastBuildDate = built  # type: ignore[attr-defined]
    getattr(fg, EXTENSION).tags = ChannelTags(
        guid=show.podcast_guid or "",
        locked=show.locked,
        owner_email=show.owner_email,
        medium=show.medium,
        explicit=show.explicit,
        image=show.image_url,
        categories=show.categories,
        persons=_persons(show, None),
    )
    return fg


#: where the items go: before the channel's end tag, as feedgen appends them last
_CHANNEL_END = b"  </channel>\n"


def _channel_bytes(fg: FeedGenerator) -> tuple[bytes, bytes]:
    """The feed without items, cut where the items go (feedgen writes them last)."""
    whole = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    cut = whole.rindex(_CHANNEL_END)
    return whole[:cut], whole[cut:]


def _item_wrapper(fg: FeedGenerator) -> etree._Element:
    """An empty ``rss/channel`` with the feed's namespaces: an item serialised inside it is
    indented, and its prefixes resolved, exactly as inside the whole feed."""
    root, _ = fg._create_rss()
    wrapper = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
    etree.SubElement(wrapper, "channel")
    return wrapper


def _item_bytes(wrapper: etree._Element, item: etree._Element) -> bytes:
    channel = wrapper[0]
    channel.append(item)
    try:
        text = etree.tostring(wrapper, pretty_print=True, encoding="UTF-8", xml_declaration=False)
    finally:
        channel.remove(item)
    start = text.index(b"<channel>\n") + len(b"<channel>\n")
    return text[start : text.rindex(_CHANNEL_END)]


def as_html(text: str) -> str:
    """Plain text for an element apps read as HTML (``description``): ``R&D`` becomes
    ``R&amp;D`` (``R&amp;amp;D`` in the XML), so no app or validator sees a bare ``&`` or
    ``<`` and the title round-trips."""
    return html.escape(text, quote=False)


def _duplicate(episode: Episode, first: Episode) -> Problem:
    """Two items with one season and number: both stay (apps key on guid), but say so."""
    return Problem(
        display_path(episode.source),
        episode.line_of("episode"),
        "episode",
        f"season {episode.season} episode {episode.number} is also "
        f"{display_path(first.source)}; both are in the feed, renumber one",
        Severity.WARNING,
    )


def _fill_item(fe: FeedEntry, show: Show, episode: Episode, problems: list[Problem]) -> None:
    assert episode.audio is not None
    page = show.episode_page(episode)
    fe.title(episode.title)
    fe.link(href=page)
    summary = plain_text(episode.intro or episode.description) or episode.title
    fe.description(as_html(summary))
    notes = intro_html(episode.intro) + render_notes(episode.notes, page)
    if notes:
        fe.content(notes, type="CDATA")
    fe.guid(show.item_guid(episode), permalink=False)
    enclosure = episode.audio.enclosure
    fe.enclosure(enclosure.url, str(enclosure.length), enclosure.type)
    if episode.pub_date:
        fe.pubDate(at_noon_utc(episode.pub_date))
    else:
        problems.append(
            Problem(
                display_path(episode.source),
                episode.line_of("date"),
                "date",
                "no publication date (no 'dateadded'/'date' and none from the host feed); "
                "the feed item has no pubDate, which Apple requires",
                Severity.WARNING,
            )
        )
    duration = episode.duration
    if duration:
        fe.podcast.itunes_duration(str(int(round(duration))))
    if episode.season is not None:
        fe.podcast.itunes_season(episode.season)
    if episode.number is not None:
        fe.podcast.itunes_episode(episode.number)
    fe.podcast.itunes_episode_type("full")
    chapters = chapters_link(show, episode)
    getattr(fe, EXTENSION).tags = ItemTags(
        explicit=show.explicit,
        image=show.absolute(episode.image),
        season=episode.season,
        episode=episode.number,
        persons=_persons(show, episode),
        transcripts=tuple(transcript_links(show, episode)),
        chapters=chapters,
        soundbites=tuple(soundbites(episode)),
        psc_chapters=episode.chapters,
    )
