"""What an episode's audio files are: a media type from a file's name, and the same audio's
other formats (``podcast:alternateEnclosure``), shared by this project's ``audio:`` block, a
site's preset and the local media files."""

from __future__ import annotations

from typing import Any

from ..model import UNKNOWN_LENGTH, Enclosure
from .field_base import HTTP_URL, Context, short_repr


def guess_audio_type(url_or_name: str) -> str:
    lower = url_or_name.lower().split("?")[0]
    for ext, kind in (
        (".m4a", "audio/x-m4a"),
        (".mp4", "audio/mp4"),
        (".ogg", "audio/ogg"),
        (".opus", "audio/opus"),
        (".wav", "audio/wav"),
        (".aac", "audio/aac"),
    ):
        if lower.endswith(ext):
            return kind
    return "audio/mpeg"


def alternates(value: Any, ctx: Context, name: str) -> tuple[Enclosure, ...]:
    """The same audio in other formats: http(s) URLs, each sized later like the enclosure."""
    urls = value if isinstance(value, list) else [] if value is None else [value]
    found = []
    for url in urls:
        if isinstance(url, str) and HTTP_URL.match(url):
            found.append(Enclosure(url, UNKNOWN_LENGTH, guess_audio_type(url)))
        else:
            ctx.warn(
                name,
                f"expected an http(s) URL, got {short_repr(url)}; left out",
                kind="field-invalid",
            )
    return tuple(found)
