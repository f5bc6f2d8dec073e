"""The ``publish:`` section of ``config/podcast.yaml``: one table of keys, one parser per key,
read into a typed ``PublishSettings`` when the config is loaded.

Checked with the rest of the config, not at publish time: a wrong value stops ``build`` too
(the feed reads ``websub_hubs``). Endpoint URLs are the user's own choice: any ``http`` or
``https`` URL is taken, private and loopback addresses included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .config_values import as_flag, as_section
from .model import PODPING_URL, PublishSettings


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected text")
    return value.strip()


def _url(value: Any, key: str) -> str:
    text = _text(value, key) if isinstance(value, str) else ""
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", text):
        raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
    return text


def _urls(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of URLs, got {value!r}")
    urls = tuple(_url(item, key) for item in value)
    return tuple(dict.fromkeys(urls))  # each endpoint once


#: every ``publish:`` key: its parser and the help the config reference shows
PUBLISH_KEYS: dict[str, tuple[Callable[[Any, str], Any], str]] = {
    "to": (_text, "Default for --to: a folder or s3://bucket/prefix."),
    "endpoint_url": (_text, "Default for --endpoint-url (an S3-compatible store)."),
    "feed_cache_control": (_text, "Cache-Control of the feed and show-level files."),
    "file_cache_control": (_text, "Cache-Control of per-episode files."),
    "websub_hubs": (_urls, "WebSub hubs: in the feed as atom:link rel=hub; told of changes."),
    "podping": (as_flag, "true: podcast:podping in the feed; Podping told of changes."),
    "podping_url": (_url, f"The Podping endpoint (default {PODPING_URL})."),
    "notify_urls": (_urls, "More endpoints to GET with ?url=<feed_url> when the feed changes."),
    "headers_file": (as_flag, "true: a folder target gets a _headers file (Netlify, Cloudflare)."),
}


def as_publish(value: Any, key: str) -> PublishSettings:
    """The section as ``PublishSettings``; ``ValueError`` naming the first wrong or unknown
    key (``websub_hubs: expected ...``)."""
    values: dict[str, Any] = {}
    for name, item in as_section(value, key).items():
        spec = PUBLISH_KEYS.get(str(name))
        if spec is None:
            raise ValueError(f"{name}: unknown; use {', '.join(PUBLISH_KEYS)}")
        try:
            values[str(name)] = spec[0](item, str(name))
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return PublishSettings(**values)
