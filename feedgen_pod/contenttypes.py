"""Content types of the files in ``dist/``: one table read by the manifest and by publish.

Podcast apps and browsers decide how to read a file from its ``Content-Type``; a feed served
as ``application/octet-stream`` is refused by some apps, so the table is explicit rather than
left to ``mimetypes`` (which knows neither ``.vtt`` nor ``.jsonld`` on every system).
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: exact file names first (a chapters file is JSON but has its own type)
BY_NAME: dict[str, str] = {
    "feed.xml": "application/rss+xml",
    "chapters.json": "application/json+chapters",
    "transcript.json": "application/json",
    "manifest.json": "application/json",
}

#: then by suffix (longest suffix wins: ``.chapters.json`` before ``.json``)
BY_SUFFIX: dict[str, str] = {
    ".chapters.json": "application/json+chapters",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".ffmeta": "text/plain",
    ".css": "text/css",
    ".js": "text/javascript",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
}

#: text types get ``; charset=utf-8`` when sent over HTTP (every file we write is UTF-8)
TEXT_TYPES = {"text/vtt", "text/html", "text/plain", "text/css", "text/javascript"}

DEFAULT = "application/octet-stream"
_SUFFIXES = sorted(BY_SUFFIX, key=len, reverse=True)


def content_type(path: str) -> str:
    """The content type of a ``dist/`` path like ``episodes/x/transcript.vtt``."""
    name = path.rpartition("/")[2] if not path.endswith("/") else PurePosixPath(path).name
    name = name.lower()
    if name in BY_NAME:
        return BY_NAME[name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return BY_SUFFIX[suffix]
    return DEFAULT


def http_content_type(path: str) -> str:
    """The ``Content-Type`` header value: the type, with the charset for text types."""
    kind = content_type(path)
    return f"{kind}; charset=utf-8" if kind in TEXT_TYPES else kind


def is_feed(path: str) -> bool:
    """True for the feed (published last, with a short cache lifetime)."""
    return content_type(path) == "application/rss+xml"
