"""A podcast feed as plain values: what apps read from the channel and each item.

Any RSS a host serves is read, not only ours: RSS 2.0 (and the RDF forms of RSS 0.9/1.0), the
iTunes and Podcasting 2.0 namespaces under any prefix (and the old spellings of their URIs),
items without a guid, an enclosure or a date. Nothing is judged here; ``compare`` does that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from lxml import etree

from ..load.hostfeed import feed_parser, fetch_feed, parse_duration
from ..net import NetError, NetPolicy

#: namespace URI (lower case, no trailing slash) → the prefix this module names its tags with
_NAMESPACES = {
    "": "",
    "http://purl.org/rss/1.0": "",  # RSS 1.0 (RDF) items
    "http://my.netscape.com/rdf/simple/0.9": "",  # RSS 0.90
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "https://podcastindex.org/namespace/1.0": "podcast",
    "https://github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md": "podcast",
    "http://www.w3.org/2005/atom": "atom",
}
#: the season and episode tags, in the order they are reported
NUMBER_TAGS = ("itunes:season", "itunes:episode", "podcast:season", "podcast:episode")


class UnreadableFeed(ValueError):
    """The feed cannot be fetched, or is not an RSS feed; the message says which and why."""


@dataclass(frozen=True)
class Item:
    """One ``<item>`` as apps see it; text as written (stripped), None where absent."""

    line: int
    title: str
    guid: str | None
    enclosure_url: str | None
    enclosure_length: str | None
    #: ``itunes:duration`` in seconds (None when absent or unreadable), and as written
    duration: float | None
    duration_text: str | None
    #: ``pubDate`` as an aware datetime (None when absent or unreadable), and as written
    published: datetime | None
    published_text: str | None
    #: (tag, value) for each of ``NUMBER_TAGS``
    numbers: tuple[tuple[str, str | None], ...]

    @property
    def label(self) -> str:
        """How a report names the item: its title and guid."""
        guid = f"guid {self.guid}" if self.guid else "no guid"
        return f"{self.title or '(untitled)'!r} ({guid})"


@dataclass(frozen=True)
class Feed:
    """A whole feed: where it came from, the channel's identity, its items in feed order."""

    source: str
    title: str
    #: ``podcast:guid`` as written, and the ``atom:link rel="self"`` URL
    podcast_guid: str | None
    self_link: str | None
    items: tuple[Item, ...]


def load_feed(source: str, policy: NetPolicy | None = None) -> Feed:
    """The feed at a path or http(s) URL (fetched with ``policy``'s limits); UnreadableFeed
    when it cannot be read or parsed."""
    try:
        raw = fetch_feed(source, policy)
    except NetError as exc:  # its message names the URL and says what happened
        raise UnreadableFeed(f"cannot read {exc.message}") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UnreadableFeed(f"cannot read {source}: {reason}") from None
    return parse_feed(raw, source)


def parse_feed(raw: bytes, source: str) -> Feed:
    """The feed in ``raw``; UnreadableFeed when it is no XML or no RSS."""
    try:
        root = etree.fromstring(raw, feed_parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableFeed(
            f"{source}:{exc.lineno or 1}: not well-formed XML: {exc.msg}"
        ) from None
    if root is None:
        raise UnreadableFeed(f"{source}: empty document")
    channel = _first(_children(root).get("channel"))
    if channel is None:
        raise UnreadableFeed(f"{source}: not an RSS feed (no <channel> in <{_local(root)}>)")
    tags = _children(channel)
    # RSS 2.0 puts items in the channel; RSS 0.9/1.0 beside it
    elements = tags.get("item") or _children(root).get("item") or []
    self_link = next(
        (
            (link.get("href") or "").strip() or None
            for link in tags.get("atom:link", [])
            if (link.get("rel") or "").strip().lower() == "self"
        ),
        None,
    )
    return Feed(
        source=source,
        title=" ".join((_text(tags, "title") or "").split()),
        podcast_guid=_text(tags, "podcast:guid"),
        self_link=self_link,
        items=tuple(_item(el) for el in elements),
    )


def _item(el: etree._Element) -> Item:
    tags = _children(el)
    enclosure = _first(tags.get("enclosure"))
    url = length = None
    if enclosure is not None:
        url = (enclosure.get("url") or "").strip() or None
        length = (enclosure.get("length") or "").strip() or None
    duration_text = _text(tags, "itunes:duration")
    published_text = _text(tags, "pubDate")
    return Item(
        line=el.sourceline or 0,
        title=" ".join((_text(tags, "title") or "").split()),
        guid=_text(tags, "guid"),
        enclosure_url=url,
        enclosure_length=length,
        duration=parse_duration(duration_text),
        duration_text=duration_text,
        published=parse_date(published_text),
        published_text=published_text,
        numbers=tuple((tag, _text(tags, tag)) for tag in NUMBER_TAGS),
    )


def parse_date(text: str | None) -> datetime | None:
    """An RFC 822 date (what RSS asks for) or an ISO 8601 one (what some hosts write), as an
    aware datetime; a date without a zone is taken as UTC. None when it cannot be read.

    >>> parse_date("Mon, 06 May 2024 16:00:00 GMT").isoformat()
    '2024-05-06T16:00:00+00:00'
    >>> parse_date("2024-05-06T18:00:00+02:00").isoformat()
    '2024-05-06T18:00:00+02:00'
    >>> parse_date("next Tuesday") is None
    True
    """
    if not text:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _children(el: etree._Element) -> dict[str, list[etree._Element]]:
    """Child elements by name (``title``, ``itunes:duration``...) in document order; tags of
    other namespaces, comments and entities are left out."""
    found: dict[str, list[etree._Element]] = {}
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child)
        prefix = _NAMESPACES.get((name.namespace or "").lower().rstrip("/"))
        if prefix is not None:
            key = f"{prefix}:{name.localname}" if prefix else name.localname
            found.setdefault(key, []).append(child)
    return found


def _first(elements: list[etree._Element] | None) -> etree._Element | None:
    return elements[0] if elements else None


def _text(tags: dict[str, list[etree._Element]], name: str) -> str | None:
    """The first such tag's text (CDATA and nested markup included), stripped; None if empty."""
    el = _first(tags.get(name))
    if el is None:
        return None
    return "".join(el.itertext()).strip() or None


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else "?"
