"""Two feeds compared as subscribers' apps will see the change: items added, removed and
changed, and the breaks, each a ``Break`` with a stable ``kind``:

``guid-removed``          an episode (an item with audio) of the old feed is gone: apps delete it
``guid-changed``          an enclosure stays while its guid changes: apps show it twice
``enclosure-moved``       an item now has another old item's audio: listeners hear the wrong one
``enclosure-missing``     an item lost its enclosure: apps and directories drop it
``duplicate-guid``        two items of the new feed share a guid: Apple keeps one
``duplicate-enclosure``   two items of the new feed share an audio URL: Apple keeps one
``podcast-guid-changed``  the show's ``podcast:guid`` changed: directories see a new show
``self-link-changed``     the ``atom:link rel="self"`` changed: apps move to another URL
``pubdate-moved``         a pubDate moved by more than a day: the episode jumps in the list
``pubdate-invalid``       a pubDate apps could read is now missing or unreadable

Items are paired by guid; an old item whose guid is gone is paired by its enclosure URL (a
changed guid), and a guid-less one by its enclosure URL, then its title.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta

from ..config import podcast_guid
from .read import Feed, Item

#: how far a pubDate may move (a host writes 16:00 GMT, we write 12:00 UTC) before apps
#: move the episode in the list
PUBDATE_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class Change:
    """One field of an item, or of the channel, as it was and as it will be."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Changed:
    """An item in both feeds whose fields differ."""

    old: Item
    new: Item
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Break:
    """What would hurt subscribers: a stable ``kind``, the item (None for the channel), which
    feed ``item`` is from (``old`` or ``new``), and what apps will do."""

    kind: str
    item: Item | None
    feed: str
    message: str

    @property
    def title(self) -> str:
        return self.item.title if self.item else ""

    @property
    def guid(self) -> str | None:
        return self.item.guid if self.item else None

    @property
    def line(self) -> int | None:
        return self.item.line if self.item else None

    @property
    def label(self) -> str:
        return self.item.label if self.item else "channel"


@dataclass(frozen=True)
class Diff:
    """The whole comparison, in feed order: what reports are made from."""

    old: Feed
    new: Feed
    added: tuple[Item, ...]
    #: every item of the old feed left out of the new one, intended or not
    removed: tuple[Item, ...]
    #: the removals ``--allow-removed`` names (guid, or enclosure URL of a guid-less item)
    allowed: frozenset[str]
    changed: tuple[Changed, ...]
    channel: tuple[Change, ...]
    breaks: tuple[Break, ...]

    @property
    def failed(self) -> bool:
        return bool(self.breaks)

    def is_allowed(self, item: Item) -> bool:
        return _identity(item) in self.allowed

    def summary(self) -> str:
        breaks = len(self.breaks)
        return (
            f"{len(self.old.items)} items before, {len(self.new.items)} after: "
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed; "
            f"{breaks} break{'' if breaks == 1 else 's'}"
        )


def compare(old: Feed, new: Feed, allow_removed: Collection[str] = ()) -> Diff:
    """What changes for subscribers when ``new`` replaces ``old``."""
    pairs = _pair(old.items, new.items)
    paired_old = {id(o) for o, _ in pairs}
    paired_new = {id(n) for _, n in pairs}
    removed = tuple(o for o in old.items if id(o) not in paired_old)
    added = tuple(n for n in new.items if id(n) not in paired_new)
    allowed = frozenset(allow_removed)
    breaks = [
        Break(
            "guid-removed",
            o,
            "old",
            "is not in the new feed: apps delete this episode for every subscriber "
            "(--allow-removed if that is intended)",
        )
        for o in removed
        if o.enclosure_url and _identity(o) not in allowed  # no audio: no episode in apps
    ]
    changed = []
    for o, n in pairs:
        changes = tuple(_changes(o, n))
        if changes:
            changed.append(Changed(o, n, changes))
        breaks += _pair_breaks(o, n)
    breaks += _moved_enclosures(old.items, new.items, pairs)
    breaks += _duplicates(new.items, old.items, "duplicate-guid", lambda i: i.guid, "guid")
    breaks += _duplicates(
        new.items, old.items, "duplicate-enclosure", lambda i: i.enclosure_url, "audio"
    )
    channel, channel_breaks = _channel(old, new)
    return Diff(
        old=old,
        new=new,
        added=added,
        removed=removed,
        allowed=allowed,
        changed=tuple(changed),
        channel=channel,
        breaks=tuple(channel_breaks + breaks),
    )


def _identity(item: Item) -> str | None:
    """What apps know an item by: its guid, else its enclosure URL."""
    return item.guid or item.enclosure_url


def _pair(old: tuple[Item, ...], new: tuple[Item, ...]) -> list[tuple[Item, Item]]:
    """(old, new) for each item in both feeds: by guid, then by enclosure URL, then (both
    without guid and enclosure) by title, even an empty one; each item in at most one pair."""
    pairs: list[tuple[Item, Item]] = []
    left_old, left_new = list(old), list(new)
    for key in (
        lambda i: i.guid,
        lambda i: i.enclosure_url,
        lambda i: None if i.guid or i.enclosure_url else f"title {i.title}",
    ):
        # a key two items share (a feed with duplicate guids) pairs them in feed order
        index: dict[str, list[Item]] = {}
        for item in left_new:
            value = key(item)
            if value:
                index.setdefault(value, []).append(item)
        still_old = []
        for item in left_old:
            value = key(item)
            waiting = index.get(value) if value else None
            match = waiting.pop(0) if waiting else None
            if match is None:
                still_old.append(item)
            else:
                pairs.append((item, match))
        taken = {id(n) for _, n in pairs}
        left_old, left_new = still_old, [n for n in left_new if id(n) not in taken]
    position = {id(n): i for i, n in enumerate(new)}
    return sorted(pairs, key=lambda p: position[id(p[1])])  # in the new feed's order


def _none(text: str | None) -> str:
    return "(none)" if text is None else text


def _number(text: str | None) -> object:
    """Digits compare as numbers (``01`` is ``1``); anything else as written."""
    return int(text) if text is not None and text.isdigit() else text


def _fields(item: Item) -> dict[str, tuple[object, str]]:
    """field → (the value compared, the text shown)."""
    values: dict[str, tuple[object, str]] = {
        "title": (item.title, item.title),
        "guid": (item.guid, _none(item.guid)),
        "enclosure url": (item.enclosure_url, _none(item.enclosure_url)),
        "enclosure length": (_number(item.enclosure_length), _none(item.enclosure_length)),
        "duration": (
            item.duration if item.duration is not None else item.duration_text,
            _none(item.duration_text),
        ),
        "pubDate": (item.published or item.published_text, _none(item.published_text)),
    }
    for tag, text in item.numbers:
        values[tag] = (_number(text), _none(text))
    return values


def _changes(old: Item, new: Item) -> Iterable[Change]:
    before, after = _fields(old), _fields(new)
    for field, (value, text) in before.items():
        if value != after[field][0]:
            yield Change(field, text, after[field][1])


def _pair_breaks(old: Item, new: Item) -> list[Break]:
    breaks = []
    if old.guid != new.guid:
        was = f"guid {old.guid}" if old.guid else "no guid (apps knew it by its audio URL)"
        now = f"guid {new.guid}" if new.guid else "no guid"
        breaks.append(
            Break(
                "guid-changed",
                new,
                "new",
                f"keeps the audio {new.enclosure_url} but had {was} and now has {now}: apps "
                "show this episode again as new; keep the old guid",
            )
        )
    if old.enclosure_url and not new.enclosure_url:
        breaks.append(
            Break(
                "enclosure-missing",
                new,
                "new",
                f"had the audio {old.enclosure_url} and now has no enclosure url: apps and "
                "directories leave the episode out",
            )
        )
    if old.published and new.published:
        moved = new.published - old.published
        if abs(moved) > PUBDATE_SLACK:
            breaks.append(
                Break(
                    "pubdate-moved",
                    new,
                    "new",
                    f"pubDate moved by {_days(moved)}: {old.published_text} → "
                    f"{new.published_text}; apps move the episode in the list or show it as new",
                )
            )
    elif old.published and not new.published:
        now = f"{new.published_text!r}, which apps cannot read" if new.published_text else "none"
        breaks.append(
            Break(
                "pubdate-invalid",
                new,
                "new",
                f"pubDate was {old.published_text}, now {now}: apps date the episode as new",
            )
        )
    return breaks


def _days(delta: timedelta) -> str:
    days = delta.total_seconds() / 86400
    return f"{days:+.1f} days"


def _moved_enclosures(
    old: Iterable[Item], new: Iterable[Item], pairs: list[tuple[Item, Item]]
) -> list[Break]:
    """New items carrying the audio another old item had: the wrong sound under a title."""
    partner = {id(o): n for o, n in pairs}
    by_url: dict[str, Item] = {}
    for item in old:
        if item.enclosure_url:
            by_url.setdefault(item.enclosure_url, item)
    counts: dict[str, int] = {}
    new = list(new)
    for item in new:
        if item.enclosure_url:
            counts[item.enclosure_url] = counts.get(item.enclosure_url, 0) + 1
    breaks = []
    for item in new:
        url = item.enclosure_url
        source = by_url.get(url) if url else None
        # a URL twice in the new feed is reported as duplicate-enclosure
        if not url or source is None or partner.get(id(source)) is item or counts[url] > 1:
            continue
        breaks.append(
            Break(
                "enclosure-moved",
                item,
                "new",
                f"now has the audio of {source.label} in the old feed ({url}): listeners hear "
                "that episode under this title",
            )
        )
    return breaks


def _duplicates(
    items: Iterable[Item],
    old: Iterable[Item],
    kind: str,
    key: Callable[[Item], str | None],
    what: str,
) -> list[Break]:
    """Every item sharing ``key`` with an earlier item of the same feed, past as many as the
    old feed shared already (subscribers' apps live with those: nothing changes for them)."""
    before: dict[str, int] = {}
    for item in old:
        value = key(item)
        if value:
            before[value] = before.get(value, 0) + 1
    first: dict[str, Item] = {}
    seen: dict[str, int] = {}
    breaks = []
    for item in items:
        value = key(item)
        if not value:
            continue
        seen[value] = seen.get(value, 0) + 1
        if value in first and seen[value] > before.get(value, 0):
            other = first[value]
            breaks.append(
                Break(
                    kind,
                    item,
                    "new",
                    f"has the same {what} as {other.label} at line {other.line} ({value}): "
                    "Apple Podcasts keeps only one of them",
                )
            )
        else:
            first.setdefault(value, item)
    return breaks


def _channel(old: Feed, new: Feed) -> tuple[tuple[Change, ...], list[Break]]:
    changes, breaks = [], []
    if old.title != new.title:
        changes.append(Change("title", old.title, new.title))
    if old.self_link != new.self_link:
        changes.append(Change("atom:link self", _none(old.self_link), _none(new.self_link)))
        if old.self_link and not _https_of(old.self_link, new.self_link):
            breaks.append(
                Break(
                    "self-link-changed",
                    None,
                    "new",
                    f'atom:link rel="self" changed from {old.self_link} to '
                    f"{_none(new.self_link)}: apps that follow it move subscribers to another "
                    "URL; keep it unless the feed really moves",
                )
            )
    if old.podcast_guid != new.podcast_guid:
        changes.append(Change("podcast:guid", _none(old.podcast_guid), _none(new.podcast_guid)))
    was, was_how = _show_guid(old)
    now, now_how = _show_guid(new)
    if was and (now or "").lower() != was.lower():
        breaks.append(
            Break(
                "podcast-guid-changed",
                None,
                "new",
                f"podcast:guid changed from {was}{was_how} to {_none(now)}{now_how}: directories "
                "such as Podcast Index see another show; set podcast_guid to the old value",
            )
        )
    return tuple(changes), breaks


def _https_of(old: str, new: str | None) -> bool:
    """Whether ``new`` is ``old`` served over https: the same feed, as apps see it."""
    return bool(new) and old.startswith("http://") and new == "https://" + old[len("http://") :]


def _show_guid(feed: Feed) -> tuple[str | None, str]:
    """The show's ``podcast:guid``: as written, else derived from its self link as the
    Podcasting 2.0 spec says directories do; and how it was found."""
    if feed.podcast_guid:
        return feed.podcast_guid, ""
    if feed.self_link:
        return podcast_guid(feed.self_link), " (derived from the self link)"
    return None, ""
