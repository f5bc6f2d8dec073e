"""Channel tags that say how apps hear of a new episode without polling the whole feed.

* ``<atom:link rel="hub" href="…"/>`` for each WebSub hub of ``publish.websub_hubs``, after
  the feed's ``atom:link rel="self"`` (a WebSub subscriber needs both);
* ``<podcast:podping usesPodping="true"/>`` when ``publish.podping`` is on: apps that follow
  Podping can poll the feed less.

``publish`` tells those hubs and Podping when the feed changes. A feedgen extension of its own,
read from the show's (already validated) ``publish:`` section; without hubs or Podping the feed
is unchanged.
"""

from __future__ import annotations

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from ..model import Show

ATOM_NS = "http://www.w3.org/2005/Atom"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
#: the name the extension is registered under on the FeedGenerator
EXTENSION = "updatetags"


def add_update_tags(fg: FeedGenerator, show: Show) -> None:
    """Register the extension on ``fg``, reading ``show``'s ``publish:`` section."""
    fg.register_extension(EXTENSION, UpdateTagsExtension)
    getattr(fg, EXTENSION).show = show


class UpdateTagsExtension(BaseExtension):
    """Set ``show`` before rendering."""

    def __init__(self) -> None:
        self.show: Show | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"atom": ATOM_NS, "podcast": PODCAST_NS}

    def extend_rss(self, rss_feed: etree._Element) -> etree._Element:
        if self.show is None:
            return rss_feed
        section = self.show.sections.get("publish", {})
        channel = rss_feed[0]
        at = _after_self_link(channel)
        for offset, hub in enumerate(section.get("websub_hubs", ())):
            link = etree.Element(f"{{{ATOM_NS}}}link", href=str(hub), rel="hub")
            channel.insert(at + offset, link)
        if section.get("podping"):
            etree.SubElement(channel, f"{{{PODCAST_NS}}}podping", usesPodping="true")
        return rss_feed

    def extend_atom(self, atom_feed: etree._Element) -> etree._Element:
        return atom_feed


def _after_self_link(channel: etree._Element) -> int:
    for index, child in enumerate(channel):
        if child.tag == f"{{{ATOM_NS}}}link" and child.get("rel") == "self":
            return index + 1
    return len(channel)
