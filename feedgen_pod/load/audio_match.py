"""Host feed items matched to episode files as one assignment over the whole show.

Each host item goes to at most one episode and each episode gets at most one item. The
evidence for a pair is what the two share: the Anchor episode id, the YouTube id, the title,
a guest's name inside the item's Anchor slug, and a publication date within a day. Ids are
strong evidence, but a copy-pasted id is a real slip: an id that two episode files claim
decides nothing by itself, and a file gets that id's item only when some other evidence
(title, YouTube id, guest, date) agrees. Pairs are then settled strongest first; when two
files want one item with equal evidence, neither gets it and both are told, since audio under
the wrong title is the worst thing a feed can carry.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import Problem, Severity
from ..model import Enclosure, Episode

#: what each kind of evidence weighs; an id outweighs a title, which outweighs the rest
WEIGHTS = {"Anchor id": 8, "YouTube id": 4, "title": 2, "guest": 1, "date": 1}
#: evidence enough to pair an episode with an item on its own
STRONG = ("Anchor id", "YouTube id", "title")


@dataclass(frozen=True)
class HostItem:
    """What one host feed ``<item>`` offers an episode."""

    line: int
    title: str
    #: the item's ``<link>`` (an Anchor/Spotify page whose slug often names the guest)
    link: str
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


def title_keys(title: str) -> set[str]:
    """A title, and the title without a trailing `` - Guest Name`` the host adds."""
    keys = {normalise_title(title)}
    head, sep, _ = title.rpartition(" - ")
    if sep and head.strip():
        keys.add(normalise_title(head))
    return {k for k in keys if k}


@dataclass(frozen=True)
class AudioClaim:
    """What an episode file says about itself that can match a host item."""

    slug: str
    #: the file as messages name it
    where: str
    title: str
    short: str | None = None
    anchor_id: str | None = None
    youtube_id: str | None = None
    published: date | None = None
    guest_names: tuple[str, ...] = ()

    @classmethod
    def of(cls, episode: Episode, where: str) -> AudioClaim:
        return cls(
            slug=episode.slug,
            where=where,
            title=episode.title,
            short=episode.short,
            anchor_id=episode.anchor_id,
            youtube_id=episode.youtube_id,
            published=episode.published,
            guest_names=tuple(guest.name for guest in episode.guests if guest.name),
        )


@dataclass(frozen=True)
class Assignment:
    """Which item each episode gets (by slug: the item's index in the host feed)."""

    items: Mapping[str, int] = field(default_factory=dict)
    #: how each match was made, for messages ("Anchor id and title")
    how: Mapping[str, str] = field(default_factory=dict)
    #: slugs left without audio because their claim clashed with another file's
    contested: frozenset[str] = frozenset()
    problems: tuple[Problem, ...] = ()


def assign(claims: Sequence[AudioClaim], items: Sequence[HostItem], feed_where: str) -> Assignment:
    """The one assignment of host items to episode files, and the clashes it found."""
    anchor_claimants = _claimants(claims, "anchor_id")
    youtube_claimants = _claimants(claims, "youtube_id")
    by_score: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    unsettled: dict[tuple[int, int], str] = {}
    index = _ItemIndex(items)
    for ci, claim in enumerate(claims):
        titles = title_keys(claim.title) | title_keys(claim.short or "")
        guests = [_words(name) for name in claim.guest_names]
        for ii in index.candidates(claim, titles):
            found = _evidence(claim, items[ii], index, ii, titles, guests)
            if not any(kind in STRONG for kind in found):
                continue
            shared = [
                kind
                for kind, claimants, value in (
                    ("Anchor id", anchor_claimants, claim.anchor_id),
                    ("YouTube id", youtube_claimants, claim.youtube_id),
                )
                if kind in found and len(claimants[value]) > 1
            ]
            # an id two files claim counts only with something else that agrees
            backing = [kind for kind in found if kind not in shared]
            if shared and not backing:
                unsettled[(ci, ii)] = shared[0]
                continue
            score = sum(WEIGHTS[kind] for kind in backing)
            by_score[score].append((ci, ii, " and ".join(backing)))
    taken_items: dict[int, int] = {}  # item → claim
    matched: dict[int, tuple[int, str]] = {}  # claim → (item, how)
    blocked: set[int] = set()
    problems: list[Problem] = []
    for score in sorted(by_score, reverse=True):
        free = [
            (ci, ii, how)
            for ci, ii, how in by_score[score]
            if ci not in matched and ci not in blocked and ii not in taken_items
        ]
        wanted: dict[int, list[int]] = defaultdict(list)
        for ci, ii, _ in free:
            if ci not in wanted[ii]:
                wanted[ii].append(ci)
        for ii, wanting in wanted.items():
            if len(wanting) > 1:
                problems.extend(_contested(claims, wanting, items[ii], feed_where))
                blocked.update(wanting)
                taken_items[ii] = -1
        for ci, ii, how in free:  # in claim order, then feed order: the first item wins
            if ci in matched or ci in blocked or ii in taken_items:
                continue
            matched[ci] = (ii, how)
            taken_items[ii] = ci
    problems.extend(_clashes(claims, items, unsettled, matched, blocked, feed_where))
    return Assignment(
        items={claims[ci].slug: ii for ci, (ii, _) in matched.items()},
        how={claims[ci].slug: how for ci, (_, how) in matched.items()},
        contested=frozenset(claims[ci].slug for ci in blocked),
        problems=tuple(problems),
    )


def _claimants(claims: Sequence[AudioClaim], attribute: str) -> dict[str | None, list[int]]:
    found: dict[str | None, list[int]] = defaultdict(list)
    for ci, claim in enumerate(claims):
        value = getattr(claim, attribute)
        if value:
            found[value].append(ci)
    return found


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalise_title(text).split())


class _ItemIndex:
    """The host items by Anchor id, YouTube id and title key, with each item's title keys and
    slug words worked out once: only items that share an id or a title with a file can pair
    with it, so a show of thousands of episodes is matched without trying every pair."""

    def __init__(self, items: Sequence[HostItem]):
        self.titles = [title_keys(item.title) for item in items]
        self.slug_words = [
            set(_words(re.sub(r"[-_]+", " ", item.link.rsplit("/", 1)[-1]))) for item in items
        ]
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for ii, item in enumerate(items):
            for key in {*item.anchor_ids, *item.youtube_ids, *self.titles[ii]}:
                self.by_key[key].append(ii)

    def candidates(self, claim: AudioClaim, titles: set[str]) -> list[int]:
        """The items that share an id or a title key with ``claim``, in feed order."""
        keys = {key for key in (claim.anchor_id, claim.youtube_id, *titles) if key}
        return sorted({ii for key in keys for ii in self.by_key.get(key, ())})


def _evidence(
    claim: AudioClaim,
    item: HostItem,
    index: _ItemIndex,
    ii: int,
    titles: set[str],
    guests: list[tuple[str, ...]],
) -> list[str]:
    found = []
    if claim.anchor_id and claim.anchor_id in item.anchor_ids:
        found.append("Anchor id")
    if claim.youtube_id and claim.youtube_id in item.youtube_ids:
        found.append("YouTube id")
    if titles & index.titles[ii]:
        found.append("title")
    slug_words = index.slug_words[ii]
    if any(len(name) > 1 and set(name) <= slug_words for name in guests):
        found.append("guest")
    if claim.published and item.published and abs((claim.published - item.published).days) <= 1:
        found.append("date")
    return found


def _contested(
    claims: Sequence[AudioClaim], wanting: list[int], item: HostItem, feed_where: str
) -> list[Problem]:
    """Two or more files want one item with equal evidence: none of them gets it."""
    names = [claims[ci].where for ci in wanting]
    return [
        Problem(
            claims[ci].where,
            None,
            "audio",
            f"the host feed item at {feed_where}:{item.line} ({item.title!r}) matches "
            f"{' and '.join(names)} equally; neither gets its audio and both are left out of "
            "feed.xml: fix the ids or titles so that each file matches its own item",
            Severity.ERROR,
            kind="audio-item-contested",
        )
        for ci in wanting
    ]


def _clashes(
    claims: Sequence[AudioClaim],
    items: Sequence[HostItem],
    unsettled: Mapping[tuple[int, int], str],
    matched: Mapping[int, tuple[int, str]],
    blocked: set[int],
    feed_where: str,
) -> list[Problem]:
    """Each file that claims an id another file claims too, where that id's item is not its
    own: what it got instead (if anything) and what to fix."""
    problems = []
    for (ci, ii), kind in sorted(unsettled.items()):
        if ci in blocked:
            continue
        claim, item = claims[ci], items[ii]
        value = claim.anchor_id if kind == "Anchor id" else claim.youtube_id
        others = [
            claims[other].where
            for other in range(len(claims))
            if other != ci and value in (claims[other].anchor_id, claims[other].youtube_id)
        ]
        owner = next((claims[o].where for o, (i, _) in matched.items() if i == ii), None)
        gave = f"went to {owner} by other evidence" if owner else "went to no file"
        if ci in matched:
            got, how = matched[ci]
            outcome = (
                f"this file got the item at line {items[got].line} ({items[got].title!r}) by {how}"
            )
        else:
            outcome = "this file gets no audio from the host feed and is left out of feed.xml"
        problems.append(
            Problem(
                claim.where,
                None,
                "audio",
                f"{kind} {value} is claimed by this file and {', '.join(others)}; its host feed "
                f"item at {feed_where}:{item.line} ({item.title!r}) {gave}; {outcome}; fix the "
                f"{kind} in the file whose episode it is not",
                Severity.ERROR,
                kind="audio-id-clash",
            )
        )
    return problems
