"""Artwork: what the first bytes of a cover or a person's picture say, read by Pillow.

A link check only knows that an image URL answers. Apple Podcasts also refuses show artwork
(and ignores episode artwork) that is not a JPEG or PNG, square, 1400 to 3000 pixels a side;
an HTML error page served with status 200 where the cover should be is as broken as a 404.
So for the URLs that hold artwork, the checker also asks for the first ``PREFIX_BYTES`` (a
``Range`` request; a server that ignores it still sends no more than the checker reads) and
Pillow reads the format and size from the header, decoding no pixels.

People's pictures appear only on the website, so any image format a browser shows will do
and their size is not checked.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from .types import Source

#: the show's or an episode's cover (Apple's rules), and a person's picture (a web image)
COVER, PICTURE = "cover", "picture"
#: the source fields that hold artwork
ROLE_OF_FIELD = {"image": COVER, "picture": PICTURE}
COVER_FORMATS = frozenset({"JPEG", "PNG"})
PICTURE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
MIN_SIDE, MAX_SIDE = 1400, 3000
#: enough for the header of a JPEG with a large EXIF block, or of a PNG
PREFIX_BYTES = 65536
#: how JPEG, PNG and GIF files start (WebP: ``RIFF````size````WEBP``)
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
RANGE_HEADERS = {"Range": f"bytes=0-{PREFIX_BYTES - 1}", "Accept": "image/*,*/*;q=0.5"}

# Pillow warns (on stderr) about an image that claims more pixels than it deems safe, and raises
# above twice that: both are a finding here. The warning is made an exception once, for the
# process (a filter set per call would race between the checker's threads).
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


@dataclass(frozen=True)
class Finding:
    """What is wrong with an image; ``broken`` False when its bytes could not tell."""

    kind: str
    detail: str
    broken: bool = True


def role_of(sources: Iterable[Source]) -> str | None:
    """The strictest artwork role among the places a URL stands, or None for a plain link."""
    roles = {ROLE_OF_FIELD.get(source.field) for source in sources}
    if COVER in roles:
        return COVER
    return PICTURE if PICTURE in roles else None


def judge(role: str, data: bytes) -> Finding | None:
    """The problem with an image whose first bytes are ``data``, or None when it is right."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format or "", image.size
    except UnidentifiedImageError:
        if data.startswith(_SIGNATURES) or data[8:12] == b"WEBP":  # an image, cut short
            return Finding(
                "artwork-unreadable",
                f"its size cannot be read from its first {len(data):,} bytes",
                broken=False,
            )
        start = data[:40].decode("ascii", "replace").strip()
        return Finding(
            "artwork-not-image",
            f"not an image (it starts {start!r}); link the image file itself",
        )
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Finding("artwork-size", "claims more pixels than any artwork has")
    except (OSError, SyntaxError, ValueError):
        return Finding(
            "artwork-unreadable",
            f"its size cannot be read from its first {PREFIX_BYTES // 1024} KB",
            broken=False,
        )
    if role == PICTURE:
        if kind not in PICTURE_FORMATS:
            return Finding("picture-format", f"a {kind} image; browsers show JPEG, PNG, WebP, GIF")
        return None
    if kind not in COVER_FORMATS:
        return Finding("artwork-format", f"a {kind} image; Apple Podcasts takes JPEG or PNG")
    if width != height:
        return Finding(
            "artwork-not-square", f"{width}×{height} px; Apple Podcasts needs square artwork"
        )
    if not MIN_SIDE <= width <= MAX_SIDE:
        return Finding(
            "artwork-size",
            f"{width}×{height} px; Apple Podcasts needs {MIN_SIDE} to {MAX_SIDE} px a side",
        )
    return None
