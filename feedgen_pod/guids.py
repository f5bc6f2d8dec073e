"""Name-based UUIDs (version 5) for ``podcast:guid`` and item guids, without the ``uuid``
module: it imports ``platform`` and more at start-up, and every command loads the config."""

from __future__ import annotations

import hashlib

#: the namespace Podcasting 2.0 derives ``podcast:guid`` from the feed URL in
PODCAST_NAMESPACE = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6"
#: RFC 4122's namespace for URLs (``uuid.NAMESPACE_URL``)
URL_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8"


def uuid5(namespace: str, name: str) -> str:
    """``str(uuid.uuid5(uuid.UUID(namespace), name))``: SHA-1 of the namespace's 16 bytes and
    the name's UTF-8, with the version (5) and RFC 4122 variant bits set."""
    space = _uuid_bytes(namespace)
    if space is None:  # not a UUID (a hand-written podcast_guid): still one stable per name
        space, name = bytes.fromhex(URL_NAMESPACE.replace("-", "")), f"{namespace}/{name}"
    digest = bytearray(hashlib.sha1(space + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _uuid_bytes(text: str) -> bytes | None:
    """A UUID's 16 bytes from the forms ``uuid.UUID`` reads (braces, ``urn:uuid:``, hyphens,
    any case); None when it is not one."""
    hexed = text.strip().removeprefix("urn:").removeprefix("uuid:").strip("{}").replace("-", "")
    if len(hexed) != 32:
        return None
    try:
        return bytes.fromhex(hexed)
    except ValueError:
        return None
