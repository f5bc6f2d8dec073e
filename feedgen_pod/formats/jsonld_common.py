"""What the episode and series JSON-LD documents share: ids, nodes, text and serialisation.

Both documents are built as plain Python data and serialised with ``json``; the ``@id`` of a
node is a stable URL, so the graphs of every episode and of the series merge into one graph
for a consumer that reads them all (the same person or season is one node, not many).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import quote

import nh3
import orjson
from markdown_it import MarkdownIt

from ..model import Episode, Person, Show
from ..times import iso_duration

CONTEXT = "https://schema.org"
#: characters left alone when making a URL safe: the reserved set plus ``%`` (already escaped)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_BREAK = re.compile(r"<br\s*/?>", re.I)
_SPACE = re.compile(r"[ \t\r\f\v]+")

Node = dict[str, Any]


def site(show: Show) -> str:
    return show.site_url.rstrip("/")


def series_id(show: Show) -> str:
    return f"{site(show)}/podcast#series"


def season_id(show: Show, season: int) -> str:
    return f"{site(show)}/podcast#season-{season}"


def organization_id(show: Show) -> str:
    return f"{site(show)}/#organization"


def person_id(show: Show, person: Person) -> str:
    return f"{site(show)}/podcast#person-{quote(person.key, safe='')}"


def episode_url(show: Show, episode: Episode) -> str:
    return safe_url(show.episode_page(episode))


def episode_id(show: Show, episode: Episode) -> str:
    return episode_url(show, episode) + "#episode"


def ref(node_id: str) -> Node:
    return {"@id": node_id}


def safe_url(url: str) -> str:
    """Percent-escape spaces and non-ASCII so the URL is valid; existing escapes stay."""
    return quote(url, safe=_URL_SAFE)


def absolute(show: Show, url_or_path: str | None) -> str | None:
    """A site-relative path or URL as an absolute, valid URL (None stays None)."""
    url = show.absolute(url_or_path)
    return safe_url(url) if url else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def duration(seconds: float | None) -> str | None:
    """ISO 8601 duration in whole seconds, as the feed rounds; unknown or zero is left out."""
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        return None
    return iso_duration(seconds)


def html_to_text(value: str | None) -> str | None:
    """Inline HTML (``<br>`` in intros) to plain text; entities decoded, whitespace tidied."""
    if not value:
        return None
    text = html.unescape(nh3.clean(_BREAK.sub("\n", value), tags=set()))
    return _tidy(text) or None


def markdown_to_text(value: str | None) -> str | None:
    """Markdown (people bios) to plain text: ``[site](url)`` becomes ``site``."""
    if not value or not value.strip():
        return None
    rendered = _MARKDOWN.render(value)
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return _tidy(text) or None


#: one parser for every bio (making one costs more than rendering a bio with it)
_MARKDOWN = MarkdownIt("commonmark")


def _tidy(text: str) -> str:
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def compact(node: Node) -> Node:
    """Drop properties the data does not have (None, empty text, empty lists)."""
    return {k: v for k, v in node.items() if v is not None and v != "" and v != [] and v != {}}


def organization_node(show: Show) -> Node:
    """The show's publisher: ``author`` from the config, at the site."""
    return compact(
        {
            "@type": "Organization",
            "@id": organization_id(show),
            "name": show.author,
            "url": safe_url(show.site_url),
        }
    )


def person_node(show: Show, person: Person) -> Node:
    """A host or guest; profile links as ``sameAs``, picture as an absolute ``image`` URL."""
    return compact(
        {
            "@type": "Person",
            "@id": person_id(show, person),
            "name": person.name,
            "image": absolute(show, person.picture),
            "description": markdown_to_text(person.bio),
            "sameAs": [safe_url(u) for u in person.same_as],
        }
    )


def series_node(show: Show) -> Node:
    """The ``PodcastSeries`` as every document describes it (the series file adds its parts)."""
    return compact(
        {
            "@type": "PodcastSeries",
            "@id": series_id(show),
            "name": show.title,
            "description": show.description,
            "url": safe_url(show.site_url),
            "webFeed": safe_url(show.feed_url),
            "image": safe_url(show.image_url),
            "inLanguage": show.language,
            "publisher": ref(organization_id(show)),
            "copyrightNotice": show.copyright,
            "actor": [ref(person_id(show, p)) for p in show.hosts],
        }
    )


def unique_people(*groups: Iterable[Person]) -> list[Person]:
    """People in order of first appearance, one per key (a host who is also a guest once)."""
    seen: dict[str, Person] = {}
    for group in groups:
        for person in group:
            seen.setdefault(person.key, person)
    return list(seen.values())


def document(nodes: list[Node]) -> dict[str, Any]:
    return {"@context": CONTEXT, "@graph": nodes}


def json_text(doc: dict[str, Any]) -> str:
    """Stable JSON: sorted keys, two-space indent, UTF-8 characters as they are (the model's
    numbers are bounded, well within the 64-bit integers orjson writes)."""
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()


def dumps(doc: dict[str, Any], text: str | None = None) -> bytes:
    """The ``.jsonld`` file: ``json_text`` and a newline at the end."""
    return ((json_text(doc) if text is None else text) + "\n").encode()


def script_element(doc: dict[str, Any], text: str | None = None) -> bytes:
    """The document in ``<script type="application/ld+json">``, safe to paste into a page.

    ``<``, ``>`` and ``&`` occur only inside JSON strings, so escaping them as ``\\u003c`` etc.
    keeps the JSON equal while no ``</script>`` or ``<!--`` can end or confuse the element.
    """
    text = json_text(doc) if text is None else text
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return f'<script type="application/ld+json">\n{text}\n</script>\n'.encode()
