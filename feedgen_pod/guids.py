"""Name-based UUIDs (version 5) for ``podcast:guid`` and item guids."""

from __future__ import annotations

import uuid

#: the namespace Podcasting 2.0 derives ``podcast:guid`` from the feed URL in
PODCAST_NAMESPACE = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6"
#: RFC 4122's namespace for URLs
URL_NAMESPACE = str(uuid.NAMESPACE_URL)


def uuid5(namespace: str, name: str) -> str:
    """``uuid.uuid5`` of ``name`` in ``namespace``. A namespace that is not a UUID (a
    hand-written ``podcast_guid``) still gives one stable UUID per name: the URL namespace's,
    of ``namespace/name``."""
    try:
        space = uuid.UUID(namespace.strip())
    except ValueError:
        space, name = uuid.NAMESPACE_URL, f"{namespace}/{name}"
    return str(uuid.uuid5(space, name))
