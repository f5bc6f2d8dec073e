"""YouTube videos, checked the way their pages cannot be: through oEmbed, then the thumbnail.

A watch page answers 200 for a removed video (and shows consent walls to checkers in some
countries), so the page says nothing. YouTube's oEmbed endpoint answers 404 (or 400) for a
video that does not exist and 200 for one that can be embedded; when it cannot tell (401 or
403 for a video whose owner turned embedding off, a rate limit, an error), the video's
thumbnail image decides, as lychee checks YouTube: it answers 404 when there is no such video.
Only video links go this way; channels, playlists and the rest are ordinary pages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

from ..net import NetError
from .policy import Settings
from .probe import NO_HOST, OFFLINE, Attempt
from .types import Status

if TYPE_CHECKING:  # the client's module imports requests: only when a request is made
    from ..net import Client

_ID = re.compile(r"[A-Za-z0-9_-]{6,}")
_PATH_ID = re.compile(r"^/(?:embed|shorts|live|v)/([A-Za-z0-9_-]{6,})")


def video_id(url: str) -> str | None:
    """The video's id when ``url`` is a YouTube video link, else None.

    >>> video_id("https://youtu.be/Rvu7N4wyFpk?t=42"), video_id("https://www.youtube.com/@x")
    ('Rvu7N4wyFpk', None)
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host == "youtu.be":
        found = _ID.fullmatch(parts.path.strip("/"))
        return found.group(0) if found else None
    if not (host.endswith("youtube.com") or host.endswith("youtube-nocookie.com")):
        return None
    if parts.path == "/watch":
        ids = parse_qs(parts.query).get("v", [])
        return ids[0] if ids and _ID.fullmatch(ids[0]) else None
    found = _PATH_ID.match(parts.path)
    return found.group(1) if found else None


def check(client: Client, vid: str, settings: Settings) -> Attempt:
    """The video ``vid``'s verdict from oEmbed, and from its thumbnail when oEmbed cannot
    tell."""
    watch = f"https://www.youtube.com/watch?v={vid}"
    endpoint = settings.youtube_oembed + "?" + urlencode({"url": watch, "format": "json"})
    try:
        answer = client.request("GET", endpoint, max_bytes=65536, follow_redirects=False)
        code = answer.status
    except NetError as exc:
        code, why = None, f"YouTube oEmbed unreachable ({exc.kind})"
    if code == 200:
        return Attempt(Status.OK, "", 200)
    if code in (400, 404):
        return Attempt(
            Status.BROKEN, f"YouTube oEmbed answers {code}: the video is removed or never was", code
        )
    if code is not None:
        why = f"YouTube oEmbed answered {code}"
    thumbnail = f"{settings.youtube_thumbnail}/{vid}/0.jpg"
    try:
        image = client.request(
            "GET", thumbnail, max_bytes=65536, follow_redirects=False, partial=True
        )
    except NetError as exc:
        # neither endpoint could be reached: the network's state, not the video's
        kind = {"offline": OFFLINE, "dns": NO_HOST}.get(exc.kind, "") if code is None else ""
        return Attempt(
            Status.UNVERIFIABLE, f"{why}; its thumbnail unreachable ({exc.kind})", code, kind=kind
        )
    if image.status == 200:
        return Attempt(Status.OK, f"{why}; its thumbnail is there (embedding may be off)", 200)
    if image.status == 404:
        return Attempt(Status.BROKEN, f"{why}; its thumbnail answers 404: no such video", 404)
    return Attempt(
        Status.UNVERIFIABLE, f"{why}; its thumbnail answered {image.status}", image.status
    )
