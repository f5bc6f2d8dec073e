"""The ``publish:`` section of the config, validated: one table of keys, one parser per key.

The config loader runs ``check_section`` on the section as written, so a wrong value stops
``build`` too (the feed reads ``websub_hubs`` and ``podping``) and the ``Show`` holds the
section's values already parsed; ``Settings.from_config`` reads such a section (or a raw one)
into typed settings for ``publish``. Endpoint URLs are the user's own choice: any ``http`` or
``https`` URL is taken, private and loopback addresses included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, Problem

#: the public Podping endpoint (podping.cloud), used when ``podping_url`` is not set
PODPING_URL = "https://podping.cloud/"


class BadSetting(ValueError):
    """A ``publish:`` key with a wrong value (or an unknown key)."""

    def __init__(self, key: str, reason: str):
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected text")
    return value.strip()


def _url(value: Any) -> str:
    text = _text(value) if isinstance(value, str) else ""
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", text):
        raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
    return text


def _urls(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of URLs, got {value!r}")
    urls = tuple(_url(item) for item in value)
    return tuple(dict.fromkeys(urls))  # each endpoint once


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no"}:
        return value.lower() in {"true", "yes"}
    raise ValueError(f"expected true or false, got {value!r}")


#: every ``publish:`` key: its parser and the help the README's config reference shows
KEYS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "to": (_text, "Default for --to: a folder or s3://bucket/prefix."),
    "endpoint_url": (_text, "Default for --endpoint-url (an S3-compatible store)."),
    "feed_cache_control": (_text, "Cache-Control of the feed and show-level files."),
    "file_cache_control": (_text, "Cache-Control of per-episode files."),
    "websub_hubs": (_urls, "WebSub hubs: in the feed as atom:link rel=hub; told of changes."),
    "podping": (_bool, "true: podcast:podping in the feed; Podping told of changes."),
    "podping_url": (_url, f"The Podping endpoint (default {PODPING_URL})."),
    "notify_urls": (_urls, "More endpoints to GET with ?url=<feed_url> when the feed changes."),
    "headers_file": (_bool, "true: a folder target gets a _headers file (Netlify, Cloudflare)."),
}


def check_section(section: Mapping[str, Any]) -> dict[str, Any]:
    """The section with every value parsed; ``BadSetting`` for the first bad key."""
    values: dict[str, Any] = {}
    for key, value in section.items():
        spec = KEYS.get(str(key))
        if spec is None:
            raise BadSetting(str(key), f"unknown; use {', '.join(KEYS)}")
        try:
            values[str(key)] = spec[0](value)
        except ValueError as exc:
            raise BadSetting(str(key), str(exc)) from None
    return values


@dataclass(frozen=True)
class Settings:
    feed_cache_control: str = "public, max-age=300"
    file_cache_control: str = "public, max-age=86400"
    to: str | None = None
    endpoint_url: str | None = None
    websub_hubs: tuple[str, ...] = ()
    podping: bool = False
    podping_url: str = PODPING_URL
    notify_urls: tuple[str, ...] = ()
    headers_file: bool = False

    @classmethod
    def from_config(cls, section: Mapping[str, object], where: str = "config") -> Settings:
        try:
            return cls(**check_section(section))
        except BadSetting as exc:
            raise ConfigError(
                Problem(where, None, f"publish.{exc.key}", exc.reason, kind="config-invalid-value")
            ) from None

    @property
    def notifies(self) -> bool:
        """True when a changed feed is announced somewhere."""
        return bool(self.websub_hubs or self.podping or self.notify_urls)
