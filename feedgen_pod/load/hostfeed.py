"""Match the show's existing host feed (Anchor/Spotify RSS) to episodes: enclosure and guid.

Episode files carry no audio, but the host's feed has it. Items are matched to episodes by the
Anchor episode id (the ``-e376e66`` at the end of an Anchor/Spotify episode URL, looked for in
the item's link, guid and enclosure URL), then by YouTube id (anywhere in the item), then by
normalised title. Each item serves one episode. The host item's ``guid`` is kept so apps that
already have an episode do not show it twice when the show moves to our feed.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

from lxml import etree

from ..errors import Problem, Severity, display_path
from ..model import Audio, AudioSource, Enclosure, Episode
from ..times import parse_clock, parse_date
from .frontmatter import read_bounded

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
#: a remote host feed is read with these limits (seconds; bytes)
TIMEOUT = (10, 30)
MAX_BYTES = 64 * 1024 * 1024
#: a server that drips bytes slower than this total is given up on (seconds)
DEADLINE = 120.0
_ANCHOR_ID = re.compile(r"-(e[0-9a-z]{4,9})(?:/a-[0-9a-z]+)?/?(?=$|[?#])")
_YOUTUBE_ID = re.compile(r"(?:[?&]v=|youtu\.be/|/embed/|/shorts/|/live/)([A-Za-z0-9_-]{11})")


@dataclass(frozen=True)
class HostItem:
    """What one host feed ``<item>`` offers an episode."""

    line: int
    title: str
    guid: str | None
    enclosure: Enclosure | None
    published: date | None
    anchor_ids: frozenset[str]
    youtube_ids: frozenset[str]


def normalise_title(title: str) -> str:
    """Case, accents, punctuation and spacing folded away.

    >>> normalise_title("From Medicine to ML: How   Public Learning…")
    'from medicine to ml how public learning'
    """
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _title_keys(title: str) -> set[str]:
    """A title, and the title without a trailing `` - Guest Name`` the host adds."""
    keys = {normalise_title(title)}
    head, sep, _ = title.rpartition(" - ")
    if sep and head.strip():
        keys.add(normalise_title(head))
    return {k for k in keys if k}


def parse_duration(text: str | None) -> float | None:
    """``itunes:duration`` as seconds: ``4400``, ``73:20`` or ``1:13:20``."""
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        return float(text) if re.fullmatch(r"\d+(\.\d+)?", text) else parse_clock(text)
    except ValueError:
        return None


def _pub_date(text: str | None) -> date | None:
    if not text or not text.strip():
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError):
        try:
            return parse_date(text)
        except ValueError:
            return None


class HostFeed:
    """The host's items, indexed three ways; ``attach`` gives an episode its item's audio."""

    def __init__(self, source: str, items: list[HostItem], problems: list[Problem]):
        self.source = source
        self.items = items
        self.problems = problems
        self.claimed: dict[int, str] = {}  # item index → slug of the episode that took it
        self.by_anchor: dict[str, int] = {}
        self.by_youtube: dict[str, int] = {}
        self.by_title: dict[str, int] = {}
        for index, item in enumerate(items):
            for key in item.anchor_ids:
                self.by_anchor.setdefault(key, index)
            for key in item.youtube_ids:
                self.by_youtube.setdefault(key, index)
            for key in _title_keys(item.title):
                self.by_title.setdefault(key, index)

    @property
    def where(self) -> str:
        return self.source if "://" in self.source else display_path(self.source)

    @classmethod
    def load(cls, source: str, problems: list[Problem]) -> HostFeed:
        """Read a host feed from a path or URL; an unreadable feed is one error, no items."""
        feed = cls(source, [], problems)
        try:
            raw = fetch_feed(source)
            root = etree.fromstring(raw, feed_parser())
        except (OSError, ValueError, etree.XMLSyntaxError) as exc:
            problems.append(
                Problem(
                    feed.where,
                    getattr(exc, "lineno", None),
                    "audio_feed",
                    f"cannot read the host feed: {exc}; episodes get no audio from it",
                )
            )
            return feed
        if root is None or root.find("channel") is None:
            problems.append(
                Problem(feed.where, 1, "audio_feed", "not an RSS feed (no <rss><channel>)")
            )
            return feed
        items = [_item(el) for el in root.find("channel").iter("item")]
        return cls(source, items, problems)

    def _match(self, episode: Episode) -> tuple[int | None, str]:
        if episode.anchor_id and episode.anchor_id in self.by_anchor:
            return self.by_anchor[episode.anchor_id], "Anchor id"
        if episode.youtube_id and episode.youtube_id in self.by_youtube:
            return self.by_youtube[episode.youtube_id], "YouTube id"
        for title in (episode.title, episode.short):
            for key in _title_keys(title or ""):
                if key in self.by_title:
                    return self.by_title[key], "title"
        return None, ""

    def unmatched(self, episode: Episode) -> str | None:
        """Why no item matches the episode (what was tried), or None when one does."""
        if self._match(episode)[0] is not None:
            return None
        tried = [
            f"Anchor id {episode.anchor_id}" if episode.anchor_id else "",
            f"YouTube id {episode.youtube_id}" if episode.youtube_id else "",
            "title",
        ]
        tried_text = ", ".join(t for t in tried if t)
        return f"no item of the host feed {self.where} matches (tried {tried_text})"

    def attach(self, episode: Episode, warn_unmatched: bool = True) -> Episode:
        """The episode with the matching item's audio; ``warn_unmatched=False`` leaves a miss
        to the caller (``AudioResolver`` says it in its one "no audio" warning)."""
        index, how = self._match(episode)
        where = display_path(episode.source)
        if index is None:
            if warn_unmatched:
                self._warn(where, None, self.unmatched(episode) or "")
            return episode
        item = self.items[index]
        if index in self.claimed:
            self._warn(
                where,
                None,
                f"the host feed item at line {item.line} ({item.title!r}) matches by {how} but "
                f"already gives its audio to {self.claimed[index]!r}; fix the ids",
            )
            return episode
        self.claimed[index] = episode.slug
        if item.enclosure is None:
            self._warn(
                self.where, item.line, f"item {item.title!r} has no usable <enclosure url length>"
            )
            return episode
        audio = Audio(item.enclosure, AudioSource.HOST_FEED, item.guid, item.published)
        return replace(episode, audio=audio)

    def claim(self, episode: Episode) -> None:
        """Mark the item this episode would match as used (it has its own audio)."""
        index, _ = self._match(episode)
        if index is not None:
            self.claimed.setdefault(index, episode.slug)

    def report_unmatched(self) -> None:
        for index, item in enumerate(self.items):
            if index not in self.claimed:
                self._warn(self.where, item.line, f"item {item.title!r} matches no episode file")

    def _warn(self, where: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(where, line, "audio", message, Severity.WARNING))


def feed_parser() -> etree.XMLParser:
    """No entities, no DTDs, no network: a feed from elsewhere is untrusted input."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )


def fetch_feed(source: str) -> bytes:
    """A feed's bytes from a path or an http(s) URL, within ``MAX_BYTES`` and ``DEADLINE``;
    ValueError or OSError when it cannot be read."""
    if "://" not in source:
        return read_bounded(Path(source), MAX_BYTES)
    if not re.match(r"^https?://", source, re.I):
        raise ValueError(f"only http(s) URLs or file paths are read, got {source!r}")
    import requests

    try:
        started = time.monotonic()
        with requests.get(source, timeout=TIMEOUT, stream=True) as response:
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code}")
            chunks, size = [], 0
            # read1 returns what has arrived, so a slow drip meets the deadline check
            while chunk := response.raw.read1(65536, decode_content=True):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ValueError(f"larger than {MAX_BYTES} bytes")
                if time.monotonic() - started > DEADLINE:
                    raise ValueError(f"took longer than {DEADLINE:g}s")
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as exc:
        raise ValueError(f"{type(exc).__name__}: {exc}") from None


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
    if url and re.match(r"^https?://", url, re.I):
        length_text = (enc.get("length") or "").strip()
        length = int(length_text) if length_text.isdigit() else 0
        kind = (enc.get("type") or "").strip() or "audio/mpeg"
        enclosure = Enclosure(url, length, kind, duration)
    anchor_ids = {m.group(1) for text in (link, guid or "", url) for m in _ANCHOR_ID.finditer(text)}
    everything = " ".join(el.itertext()) + " " + link
    youtube_ids = {m.group(1) for m in _YOUTUBE_ID.finditer(everything)}
    return HostItem(
        line=el.sourceline or 0,
        title=_text(el, "title") or "",
        guid=guid,
        enclosure=enclosure,
        published=_pub_date(_text(el, "pubDate")),
        anchor_ids=frozenset(anchor_ids),
        youtube_ids=frozenset(youtube_ids),
    )
