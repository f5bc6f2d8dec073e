"""Directory rules: what Apple Podcasts and Podcasting 2.0 apps refuse, cut or ignore, checked
on the feed as built (its bytes, so the check sees exactly what apps will), and reported at the
episode file (or the show's config) and the feed element, each with a stable ``kind``.

Every item is traced back to its episode file by its guid (``item_sources``); a guid that two
files share is assigned to them in feed order. The feed is read with ``iterparse`` and each item
dropped once checked: the whole feed of a big show is never one tree in memory.

Severity follows the harm: a duplicate guid or enclosure (Apple ignores the second item, so
listeners lose an episode), an enclosure URL Apple cannot fetch, or show artwork and
``itunes:explicit`` values Apple refuses are errors; text that apps cut, HTML they do not show,
and episode artwork Apple replaces by the show's are warnings. ``docs/directory-rules.md``
lists them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from ..errors import Problem, Severity, display_path
from ..formats import Output, rss
from ..formats.podcast_ext import ITUNES_NS, NSMAP, PODCAST_NS
from ..model import Episode, Show

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
#: Apple: "You can specify up to 4000 bytes" (show and episode ``description``)
MAX_DESCRIPTION_BYTES = 4000
#: Apple: "Tag values are limited to 255 characters" (``itunes:summary`` aside, which we do not
#: write); checked on the text Apple shows as a line: titles, author, owner, copyright
MAX_TAG_CHARS = 255
#: Podcasting 2.0: "Please do not exceed 128 characters" (person, soundbite, season ``name``)
MAX_PODCAST_TEXT = 128
#: the HTML Apple renders in a description: <p>, <ol>, <ul>, <li>, <a>
APPLE_HTML_TAGS = frozenset({"p", "ol", "ul", "li", "a"})
ARTWORK_ENDINGS = (".jpg", ".jpeg", ".png")
#: attributes of ``podcast:`` tags that hold a URL
_URL_ATTRIBUTES = ("url", "href", "img")

_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)")
#: an ``&`` that starts no character reference, a ``<`` that starts no tag: invalid HTML
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)")
#: a path's last step, namespace and all (a namespace URL has slashes of its own)
_LAST_STEP = re.compile(r"(\{[^}]*\})?[\w.-]+$")
_SPACE = re.compile(r"\s")
#: an item's bytes go between these to be parsed with the feed's namespace prefixes
_ITEM_WRAPPER = (
    etree.tostring(etree.Element("rss", nsmap=NSMAP)).replace(b"/>", b"><channel>"),
    b"</channel></rss>",
)
_BARE_LT = re.compile(r"<(?![A-Za-z/!?])")


@dataclass(frozen=True)
class ItemSource:
    """Where one feed item came from: the episode file and its front matter lines."""

    path: str
    lines: Mapping[str, int] = field(default_factory=dict)

    def line(self, *names: str) -> int | None:
        return next((self.lines[n] for n in names if n in self.lines), None)


#: feed element → the front matter fields it is made from (for the line to report)
_FIELDS = {
    "title": ("title", "short"),
    "description": ("intro", "description"),
    "content:encoded": ("intro",),
    "itunes:image": ("image",),
    "enclosure": ("audio",),
    "guid": ("guid", "audio"),
}


def item_sources(show: Show, episodes: Sequence[Episode]) -> dict[str, list[ItemSource]]:
    """Each feed item's guid → the files that gave an item that guid (the feed's items are the
    episodes with audio)."""
    sources: dict[str, list[ItemSource]] = {}
    for episode in episodes:
        if episode.audio is not None:
            source = ItemSource(display_path(episode.source), episode.field_lines)
            sources.setdefault(show.item_guid(episode), []).append(source)
    return sources


def check_item(show: Show, episode: Episode, item: bytes) -> list[Problem]:
    """The rules on one episode's feed item (its bytes, as the feed will hold them), where the
    episode is built: a rebuild checks only the items it renders again, and the problems are
    kept with the episode's. Duplicates across items are ``check_outputs``' to find."""
    root = etree.fromstring(_ITEM_WRAPPER[0] + item + _ITEM_WRAPPER[1])
    element = root.find("channel/item")
    if element is None:
        return []
    rules = _Rules({}, ItemSource(show_where(show), show.field_lines))
    rules.item(element, ItemSource(display_path(episode.source), episode.field_lines))
    return rules.problems


def check_outputs(
    show: Show, episodes: Sequence[Episode], outputs: Sequence[Output]
) -> list[Problem]:
    """The show-level rules of a build (the build's hook): the channel, read from the feed
    without its items (each was checked where its episode was built, ``check_item``), and the
    guids and audio URLs that two items share, from the episodes themselves."""
    for output in outputs:
        if output.path != rss.FEED_FILE:
            continue
        feed = output.data
        first, last = feed.find(b"<item>"), feed.rfind(b"</item>")
        if first != -1 and last != -1:  # the channel without its items
            feed = feed[:first] + feed[last + len(b"</item>") :]
        rules = _Rules({}, ItemSource(show_where(show), show.field_lines))
        for element in _items_then_channel(feed):
            if element.tag == "channel":
                rules.channel(element)
        for episode in episodes:
            if episode.audio is not None:
                where = ItemSource(display_path(episode.source), episode.field_lines)
                rules.holders(where, show.item_guid(episode), episode.audio.enclosure.url,
                              episode.title)  # fmt: skip
        rules.duplicates()
        return _sorted(rules.problems)
    return []


def show_where(show: Show) -> str:
    return display_path(show.source) if show.source else "config"


def check_feed(
    feed: bytes,
    items: Mapping[str, Sequence[ItemSource]],
    show_path: str = "config",
    show: Show | None = None,
) -> list[Problem]:
    """Every rule on one feed's bytes; items are found in ``items`` by guid (an unknown one is
    reported at ``feed.xml``). Sorted, so the report does not depend on the feed's order."""
    rules = _Rules(items, ItemSource(show_path, show.field_lines if show else {}))
    for element in _items_then_channel(feed):
        if element.tag == "item":
            rules.item(element)
        else:
            rules.channel(element)
    rules.duplicates()
    return _sorted(rules.problems)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """In file order, so the report does not depend on the feed's order."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.field or "", p.kind))


def _items_then_channel(feed: bytes) -> Iterator[etree._Element]:
    """Each ``<item>`` as it ends (then dropped), then the ``<channel>`` without its items."""
    parser = etree.iterparse(io.BytesIO(feed), events=("end",), tag=("item", "channel"))
    for _, element in parser:
        if element.tag == "item":
            yield element
            element.clear()
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
        else:
            yield element


class _Rules:
    def __init__(self, items: Mapping[str, Sequence[ItemSource]], show: ItemSource):
        self.items = items
        self.show = show
        self.problems: list[Problem] = []
        self._taken: dict[str, int] = {}
        #: guid / enclosure URL → (source, title) of every item that has it
        self.guids: dict[str, list[tuple[ItemSource, str]]] = {}
        self.enclosures: dict[str, list[tuple[ItemSource, str]]] = {}

    def report(
        self,
        where: ItemSource,
        element: str,
        kind: str,
        message: str,
        severity: Severity = Severity.WARNING,
    ) -> None:
        line = where.line(*_FIELDS.get(element, (element,)))
        self.problems.append(Problem(where.path, line, element, message, severity, kind=kind))

    def source_of(self, guid: str) -> ItemSource:
        """The file of the next item with this guid (two files may share one)."""
        candidates = self.items.get(guid, ())
        index = self._taken.get(guid, 0)
        self._taken[guid] = index + 1
        if index < len(candidates):
            return candidates[index]
        return candidates[-1] if candidates else ItemSource(rss.FEED_FILE)

    def item(self, item: etree._Element, where: ItemSource | None = None) -> None:
        """One item's rules; its file is ``where``, else found by its guid."""
        guid = (item.findtext("guid") or "").strip()
        where = where or self.source_of(guid)
        title = (item.findtext("title") or "").strip()
        self.texts(where, item, "episode")
        self.description(where, item)
        enclosure = item.find("enclosure")
        url = enclosure.get("url", "") if enclosure is not None else ""
        if url and not _ascii_url(url):
            self.report(
                where,
                "enclosure",
                "apple-enclosure-url-not-ascii",
                f"the audio URL {url!r} has characters other than ASCII letters, digits and "
                "URL punctuation; Apple Podcasts cannot fetch it, so listeners get no audio: "
                "percent-encode it or rename the file",
                Severity.ERROR,
            )
        self.holders(where, guid, url, title)
        self.artwork(where, item, Severity.WARNING, "the show's artwork is shown instead")
        self.explicit(where, item, Severity.WARNING)
        self.podcast_tags(where, item)

    def holders(self, where: ItemSource, guid: str, url: str, title: str) -> None:
        """An item's guid and audio URL, for ``duplicates``."""
        if url:
            self.enclosures.setdefault(url, []).append((where, title))
        if guid:
            self.guids.setdefault(guid, []).append((where, title))

    def channel(self, channel: etree._Element) -> None:
        where = self.show
        self.texts(where, channel, "show")
        self.description(where, channel)
        refused = "Apple Podcasts refuses a show without usable artwork"
        self.artwork(where, channel, Severity.ERROR, refused)
        image = channel.find("image")
        url = image.findtext("url") if image is not None else None
        if url:
            self._artwork_url(where, "image", url.strip(), Severity.ERROR, refused)
        self.explicit(where, channel, Severity.ERROR)
        self.podcast_tags(where, channel)

    def texts(self, where: ItemSource, parent: etree._Element, what: str) -> None:
        """Apple's 255-character limit on the text it shows as one line."""
        names = ["title", "copyright", f"{{{ITUNES_NS}}}author", f"{{{ITUNES_NS}}}title"]
        names.append(f"{{{ITUNES_NS}}}owner/{{{ITUNES_NS}}}name")
        for name in names:
            text = (parent.findtext(name) or "").strip()
            if len(text) > MAX_TAG_CHARS:
                self.report(
                    where,
                    _prefixed(name),
                    "apple-text-too-long",
                    f"the {what}'s {_prefixed(name)} is {len(text)} characters; Apple Podcasts "
                    f"shows at most {MAX_TAG_CHARS}: shorten it",
                )

    def description(self, where: ItemSource, parent: etree._Element) -> None:
        text = parent.findtext("description") or ""
        size = len(text.encode("utf-8"))
        if size > MAX_DESCRIPTION_BYTES:
            self.report(
                where,
                "description",
                "apple-description-too-long",
                f"is {size:,} bytes; Apple Podcasts takes at most {MAX_DESCRIPTION_BYTES:,} and "
                "cuts the rest: shorten the intro (the full notes stay in content:encoded)",
            )
        tags = sorted({t.lower() for t in _TAG_NAME.findall(text)} - APPLE_HTML_TAGS)
        if tags:
            self.report(
                where,
                "description",
                "apple-description-html",
                f"has HTML Apple Podcasts does not render ({', '.join(f'<{t}>' for t in tags)}); "
                "it shows only <p>, <ol>, <ul>, <li> and <a>",
            )
        for name in ("description", f"{{{CONTENT_NS}}}encoded"):
            html = parent.findtext(name) or ""
            bare = _BARE_AMP.search(html) or _BARE_LT.search(html)
            if bare:
                start = max(bare.start() - 20, 0)
                self.report(
                    where,
                    _prefixed(name),
                    "feed-invalid-html",
                    f"is HTML with a bare {bare.group()[0]!r} (near "
                    f"{html[start : bare.end() + 20]!r}); apps and validators read it as "
                    "invalid HTML: write it as &amp; or &lt;",
                )

    def artwork(self, where: ItemSource, parent: etree._Element, severity: Severity, then: str):
        image = parent.find(f"{{{ITUNES_NS}}}image")
        if image is not None:
            self._artwork_url(where, "itunes:image", image.get("href", ""), severity, then)

    def _artwork_url(
        self, where: ItemSource, element: str, url: str, severity: Severity, then: str
    ) -> None:
        wrong = []
        if not url.startswith("https://"):
            wrong.append("is not https")
        if not _ascii_url(url):
            wrong.append("has characters other than ASCII")
        if not urlsplit(url).path.lower().endswith(ARTWORK_ENDINGS):
            wrong.append("does not end in .jpg, .jpeg or .png")
        if wrong:
            self.report(
                where,
                element,
                "apple-artwork-url",
                f"the artwork URL {url!r} {' and '.join(wrong)}; Apple Podcasts does not use "
                f"it ({then})",
                severity,
            )

    def explicit(self, where: ItemSource, parent: etree._Element, severity: Severity) -> None:
        value = parent.findtext(f"{{{ITUNES_NS}}}explicit")
        if value is not None and value.strip() not in ("true", "false"):
            self.report(
                where,
                "itunes:explicit",
                "apple-explicit-value",
                f"is {value.strip()!r}; Apple Podcasts takes only 'true' or 'false'",
                severity,
            )

    def podcast_tags(self, where: ItemSource, parent: etree._Element) -> None:
        """Podcasting 2.0: https URLs, text within the spec's lengths (direct children only:
        the channel's are not its items')."""
        for tag in parent.iterchildren(f"{{{PODCAST_NS}}}*"):
            name = "podcast:" + etree.QName(tag).localname
            attributes = tag.attrib
            for attribute in _URL_ATTRIBUTES:
                url = attributes.get(attribute)
                if url is not None and not url.startswith("https://"):
                    self.report(
                        where,
                        f"{name}@{attribute}",
                        "podcast-url-not-https",
                        f"{url!r} is not https{_who(tag)}; Podcasting 2.0 apps may refuse "
                        "to load it: use an https URL",
                    )
            texts = [("", tag.text)] if name in ("podcast:person", "podcast:soundbite") else []
            texts.append(("@name", attributes.get("name")))
            for suffix, text in texts:
                if text and len(text.strip()) > MAX_PODCAST_TEXT:
                    self.report(
                        where,
                        name + suffix,
                        "podcast-text-too-long",
                        f"is {len(text.strip())} characters; the Podcasting 2.0 spec allows "
                        f"{MAX_PODCAST_TEXT} and apps may cut the rest: {text.strip()[:40]!r}…",
                    )

    def duplicates(self) -> None:
        """Items that share a guid or an enclosure URL: Apple keeps one, the others are lost.
        Each file is named, with the others (in file order, whatever the feed's order)."""
        for kind, element, seen, what in (
            ("apple-duplicate-guid", "guid", self.guids, "guid"),
            ("apple-duplicate-enclosure", "enclosure", self.enclosures, "audio URL"),
        ):
            for value, holders in seen.items():
                if len(holders) < 2:
                    continue
                for where, title in holders:
                    others = sorted(
                        {f"{w.path} ({t!r})" for w, t in holders if (w, t) != (where, title)}
                    )
                    if not others:  # one file twice: the same episode, named once
                        others = [f"another item of {where.path}"]
                    self.report(
                        where,
                        element,
                        kind,
                        f"{what} {value!r} of {title!r} is also the {what} of "
                        f"{', '.join(others)}; Apple Podcasts ignores all but one of them, so "
                        "listeners lose an episode: give each episode its own",
                        Severity.ERROR,
                    )


def _ascii_url(url: str) -> bool:
    return url.isascii() and not _SPACE.search(url)


def _prefixed(name: str) -> str:
    """``{ns}tag`` as the feed writes it (``itunes:author``); paths by their last step."""
    last = _LAST_STEP.search(name).group()  # type: ignore[union-attr]
    for ns, prefix in ((ITUNES_NS, "itunes"), (PODCAST_NS, "podcast"), (CONTENT_NS, "content")):
        if last.startswith(f"{{{ns}}}"):
            return f"{prefix}:{last[len(ns) + 2 :]}"
    return last


def _who(tag: etree._Element) -> str:
    name = (tag.text or "").strip()
    return f" ({name}'s people profile)" if name and etree.QName(tag).localname == "person" else ""
