"""Soft 404s: pages that answer 200 for a removed episode, asked of a public endpoint.

Spotify's oEmbed answers 404 (or 400) when the item is gone, and the iTunes lookup lists a
show's episodes. Anything else they answer (403, 5xx, a body we cannot read) is inconclusive:
the page check's result stands. (YouTube videos are not fetched at all: ``youtube``.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import orjson

from .policy import Settings
from .probe import hostname

_SPOTIFY = re.compile(r"^/(?:intl-[a-z]+/)?(episode|show|track)/([A-Za-z0-9]+)")
_APPLE_SHOW = re.compile(r"/id(\d+)")
_APPLE_EPISODE = re.compile(r"[?&]i=(\d+)")


@dataclass(frozen=True)
class Verdict:
    #: True: gone; False: confirmed there; None: inconclusive
    gone: bool | None
    detail: str


def endpoint_for(url: str, settings: Settings) -> tuple[str, str] | None:
    """(kind, endpoint URL) to ask about ``url``, or None when no endpoint knows it."""
    parts = urlsplit(url)
    host = hostname(url)
    if host == "open.spotify.com":
        match = _SPOTIFY.match(parts.path)
        if match:
            item = f"https://open.spotify.com/{match.group(1)}/{match.group(2)}"
            return "spotify", settings.spotify_oembed + "?" + urlencode({"url": item})
    if host == "podcasts.apple.com":
        show = _APPLE_SHOW.search(parts.path)
        if show:
            query = {"id": show.group(1), "entity": "podcastEpisode", "limit": "200"}
            return "apple", settings.itunes_lookup + "?" + urlencode(query)
    return None


def judge(kind: str, url: str, status: int, body: bytes) -> Verdict:
    """What the endpoint's answer says about ``url``."""
    if kind == "spotify":
        if status in (400, 404):
            return Verdict(True, f"{kind} oEmbed answers {status}: the item is removed or private")
        if status == 200:
            return Verdict(False, "")
        return Verdict(None, f"{kind} oEmbed answered {status}; inconclusive")
    if kind == "apple":
        if status != 200:
            return Verdict(None, f"iTunes lookup answered {status}; inconclusive")
        try:
            data = orjson.loads(body)
            results = data["results"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return Verdict(None, "iTunes lookup answer unreadable; inconclusive")
        if not results:
            return Verdict(True, "the iTunes lookup does not know this podcast id")
        episode = _APPLE_EPISODE.search(url)
        if not episode:
            return Verdict(False, "")
        ids = {str(r.get("trackId")) for r in results if isinstance(r, dict)}
        if episode.group(1) in ids:
            return Verdict(False, "")
        episodes = sum(1 for r in results if isinstance(r, dict) and r.get("kind") != "podcast")
        if episodes < 199:
            return Verdict(True, f"episode {episode.group(1)} is not among the show's episodes")
        return Verdict(None, "episode not among the latest 200; inconclusive")
    return Verdict(None, "")
