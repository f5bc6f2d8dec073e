"""Match the show's existing host feed (Anchor/Spotify RSS) to episodes: enclosure and guid.

Episode files carry no audio, but the host's feed has it. Items are matched to episodes by the
Anchor episode id (the ``-e376e66`` at the end of an Anchor/Spotify episode URL, looked for in
the item's link, guid and enclosure URL), the YouTube id (anywhere in the item), the
normalised title, the guest's name in the item's slug and the date, as one assignment over the
whole show (``audio_match``). Each item serves one episode. The host item's ``guid`` is kept
so apps that already have an episode do not show it twice when the show moves to our feed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

from lxml import etree

from ..errors import Problem, Severity, display_path
from ..model import Audio, AudioSource, Enclosure, Episode
from ..net import NetError, NetPolicy, policy_for
from ..times import parse_clock
from .audio_match import Assignment, AudioClaim, HostItem, assign
from .dates import read_date
from .field_base import MAX_SECONDS
from .frontmatter import read_bounded

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
#: the largest feed read, from a file or a URL (after decompression)
MAX_BYTES = 64 * 1024 * 1024
_ANCHOR_ID = re.compile(r"-(e[0-9a-z]{4,9})(?:/a-[0-9a-z]+)?/?(?=$|[?#])")
_YOUTUBE_ID = re.compile(r"(?:[?&]v=|youtu\.be/|/embed/|/shorts/|/live/)([A-Za-z0-9_-]{11})")


def parse_duration(text: str | None) -> float | None:
    """``itunes:duration`` as seconds: ``4400``, ``73:20`` or ``1:13:20``; None when it is
    unreadable or past ``MAX_SECONDS`` (a number of a thousand digits reads as infinity)."""
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        seconds = float(text) if re.fullmatch(r"\d+(\.\d+)?", text) else parse_clock(text)
    except ValueError:
        return None
    return seconds if seconds <= MAX_SECONDS else None


def _pub_date(text: str | None) -> date | None:
    if not text or not text.strip():
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: a huge year
        try:
            return read_date(text).day
        except ValueError:
            return None


class HostFeed:
    """The host's items and which episode file gets each (``audio_match``): ``assign`` settles
    the whole show at once, ``attach`` gives an episode its item's audio."""

    def __init__(self, source: str, items: list[HostItem], problems: list[Problem]):
        self.source = source
        self.items = items
        self.problems = problems
        self.assignment = Assignment()
        #: item index → slug of the episode that took it
        self.claimed: dict[int, str] = {}
        #: the files the show-wide assignment weighed: one it left without an item stays so
        self.seen: set[str] = set()

    @property
    def where(self) -> str:
        return self.source if "://" in self.source else display_path(self.source)

    @classmethod
    def load(
        cls, source: str, problems: list[Problem], policy: NetPolicy | None = None
    ) -> HostFeed:
        """Read a host feed from a path or URL (with ``policy``'s limits); an unreadable feed
        is one error, no items."""
        feed = cls(source, [], problems)
        try:
            raw = fetch_feed(source, policy)
            root = etree.fromstring(raw, feed_parser())
        except NetError as exc:  # the network's failure, said as the client words it
            problems.append(
                Problem(
                    feed.where,
                    None,
                    "audio_feed",
                    f"cannot fetch the host feed ({exc.kind}): {exc.message}; episodes get no "
                    "audio from it",
                    kind="host-feed-unreachable",
                )
            )
            return feed
        except (OSError, ValueError, etree.XMLSyntaxError) as exc:
            problems.append(
                Problem(
                    feed.where,
                    getattr(exc, "lineno", None),
                    "audio_feed",
                    f"cannot read the host feed: {exc}; episodes get no audio from it",
                    kind="host-feed-unreadable",
                )
            )
            return feed
        channel = root.find("channel") if root is not None else None
        if channel is None:
            problems.append(
                Problem(
                    feed.where,
                    1,
                    "audio_feed",
                    "not an RSS feed (no <rss><channel>)",
                    kind="host-feed-unreadable",
                )
            )
            return feed
        items = [_item(el) for el in channel.iter("item")]
        return cls(source, items, problems)

    def assign(self, claims: list[AudioClaim]) -> None:
        """Settle which item each of the show's episode files gets, all at once."""
        self.assignment = assign(claims, self.items, self.where)
        self.claimed = {index: slug for slug, index in self.assignment.items.items()}
        self.seen = {claim.slug for claim in claims}
        self.problems.extend(self.assignment.problems)

    def _item_for(self, episode: Episode) -> int | None:
        """The item assigned to the episode; one the show-wide assignment did not see (a
        single episode embedded or checked alone) is matched against the items still free."""
        slug = episode.slug
        if slug in self.assignment.items:
            return self.assignment.items[slug]
        if slug in self.seen or slug in self.claimed.values():  # settled without an item
            return None
        free = [item for index, item in enumerate(self.items) if index not in self.claimed]
        alone = assign([AudioClaim.of(episode, display_path(episode.source))], free, self.where)
        if not alone.items:
            return None
        index = self.items.index(free[alone.items[slug]])
        self.claimed[index] = slug
        return index

    def unmatched(self, episode: Episode) -> str:
        """What was tried to match the episode, for the warning that it has no audio."""
        if episode.slug in self.assignment.contested:
            return f"its host feed item in {self.where} is contested (see the error above)"
        tried = [
            f"Anchor id {episode.anchor_id}" if episode.anchor_id else "",
            f"YouTube id {episode.youtube_id}" if episode.youtube_id else "",
            "title",
        ]
        tried_text = ", ".join(t for t in tried if t)
        return f"no item of the host feed {self.where} matches (tried {tried_text})"

    def attach(self, episode: Episode) -> Episode:
        """The episode with its assigned item's audio, or unchanged when it has none."""
        index = self._item_for(episode)
        if index is None:
            return episode
        item = self.items[index]
        if item.enclosure is None:
            self._warn(
                self.where,
                item.line,
                f"item {item.title!r} has no usable <enclosure url length>",
                "host-item-no-enclosure",
            )
            return replace(episode, audio=None)
        audio = Audio(item.enclosure, AudioSource.HOST_FEED, item.guid, item.published)
        return replace(episode, audio=audio)

    def claim(self, episode: Episode) -> None:
        """Mark the item this episode would match as used (it has its own audio)."""
        self._item_for(episode)

    def report_unmatched(self) -> None:
        for index, item in enumerate(self.items):
            if index not in self.claimed:
                self._warn(
                    self.where,
                    item.line,
                    f"item {item.title!r} matches no episode file",
                    "host-item-unmatched",
                )

    def _warn(self, where: str, line: int | None, message: str, kind: str) -> None:
        self.problems.append(Problem(where, line, "audio", message, Severity.WARNING, kind=kind))


def feed_parser() -> etree.XMLParser:
    """No entities, no DTDs, no network: a feed from elsewhere is untrusted input."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )


def fetch_feed(source: str, policy: NetPolicy | None = None) -> bytes:
    """A feed's bytes from a path or an http(s) URL, within ``MAX_BYTES`` and the policy's
    deadline; ValueError (a ``NetError`` for a URL) or OSError when it cannot be read."""
    if "://" not in source:
        return read_bounded(Path(source), MAX_BYTES)
    if not re.match(r"^https?://", source, re.I):
        raise ValueError(f"only http(s) URLs or file paths are read, got {source!r}")
    # imported for a URL only: importing requests is a fifth of a no-change rebuild of a
    # 200-episode show (55 of 280 ms, benchmarks/bench_all.py), and most shows read a file
    from ..net.client import Client

    with Client(policy or policy_for()) as client:
        response = client.request("GET", source, max_bytes=MAX_BYTES)
    if response.status != 200:
        raise FeedUnavailable(
            source, "bad-response", f"{source}: HTTP {response.status} {response.reason}".strip()
        )
    return response.content


class FeedUnavailable(NetError):
    """A feed URL that answered, but not with the feed (an error status)."""


def _text(el: etree._Element, path: str) -> str | None:
    found = el.find(path)
    return found.text.strip() if found is not None and found.text else None


def _item(el: etree._Element) -> HostItem:
    link = _text(el, "link") or ""
    guid = _text(el, "guid")
    enclosure = None
    enc = el.find("enclosure")
    url = enc.get("url", "").strip() if enc is not None else ""
    duration = parse_duration(_text(el, f"{{{ITUNES}}}duration"))
    if enc is not None and url and re.match(r"^https?://", url, re.I):
        length_text = (enc.get("length") or "").strip()
        # ASCII digits only (``int`` refuses ``²``, which ``isdigit`` accepts), within the bound
        # the front matter's ``audio.length`` has
        readable = length_text.isascii() and length_text.isdigit() and len(length_text) <= 13
        length = int(length_text) if readable else 0
        kind = (enc.get("type") or "").strip() or "audio/mpeg"
        enclosure = Enclosure(url, length, kind, duration)
    anchor_ids = {m.group(1) for text in (link, guid or "", url) for m in _ANCHOR_ID.finditer(text)}
    everything = " ".join(el.itertext()) + " " + link
    youtube_ids = {m.group(1) for m in _YOUTUBE_ID.finditer(everything)}
    return HostItem(
        line=el.sourceline or 0,
        title=_text(el, "title") or "",
        link=link,
        guid=guid,
        enclosure=enclosure,
        published=_pub_date(_text(el, "pubDate")),
        anchor_ids=frozenset(anchor_ids),
        youtube_ids=frozenset(youtube_ids),
    )
