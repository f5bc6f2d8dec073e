"""How politely to check: the ``links:`` config section, validated, plus per-host rules.

Defaults are polite for the open internet; hosts known to throttle or wall off bots get
stricter limits out of the box, and the config can override any host. A wrong key or value
is a ``ConfigError`` naming the key, like the rest of the config.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import ConfigError
from ..net import NetPolicy
from . import profiles
from .profiles import HostRule, Table

__all__ = ["KNOWN_HOSTS", "HostRule", "Settings", "from_config", "net_policy", "parse_age"]


#: hosts known to throttle or to answer bots oddly (from the profiles' table); config
#: ``links.hosts`` and ``links.profiles`` override them
KNOWN_HOSTS: Mapping[str, HostRule] = MappingProxyType(profiles.BUILT_IN.rules())


@dataclass(frozen=True)
class Settings:
    concurrency: int = 32
    default_host: HostRule = field(default_factory=HostRule)
    hosts: Mapping[str, HostRule] = field(default_factory=lambda: KNOWN_HOSTS)
    #: seconds to connect and between two reads
    timeout: float = 10.0
    #: wall-clock cap on one request, so a slow drip of bytes cannot hold a worker
    deadline: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    retry_after_cap: float = 60.0
    max_redirects: int = 10
    max_bytes: int = 65536
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_age: float = 86400.0
    cache: Path = Path(".cache/links.sqlite")
    allow_private: bool = False
    #: ``host:port`` pairs allowed even though private (tests, benchmarks)
    allow_private_hosts: frozenset[str] = frozenset()
    #: host → IP address used instead of DNS (tests, benchmarks); still vetted
    resolve: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    user_agent: str = "feedgen-pod-linkcheck/0.1 (+https://github.com/DataTalksClub)"
    youtube_oembed: str = "https://www.youtube.com/oembed"
    spotify_oembed: str = "https://open.spotify.com/oembed"
    itunes_lookup: str = "https://itunes.apple.com/lookup"
    fail_on_unverifiable: bool = False
    #: what the sites that refuse checkers answer (``profiles``)
    profiles: Table = profiles.BUILT_IN
    #: YouTube video links are checked by their thumbnail here when oEmbed cannot tell
    youtube_thumbnail: str = "https://img.youtube.com/vi"
    #: a broken link fails the check once it was broken in this many checks in a row, the
    #: first of them a day or more ago (1: at once)
    fail_after: int = 2
    #: the Wayback Machine (CDX API under ``/cdx/search/cdx``, captures under ``/web/``)
    archive_api: str = "https://web.archive.org"
    #: at most this many CDX requests in any ``archive_window`` seconds (the Archive's limit)
    archive_requests: int = 24
    archive_window: float = 60.0
    #: the GitHub REST API, asked about github.com links that answer 404 or 429
    github_api: str = "https://api.github.com"

    def rule(self, host: str) -> HostRule:
        """The most specific rule for ``host`` (``www.linkedin.com`` → ``linkedin.com``)."""
        host = host.lower().rstrip(".")
        parts = host.split(".")
        for i in range(len(parts)):
            rule = self.hosts.get(".".join(parts[i:]))
            if rule is not None:
                return rule
        return self.default_host


def net_policy(settings: Settings) -> NetPolicy:
    """The network client's limits for the checker: every link's request (each sent alone, its
    body cut at ``max_bytes``: ``probe.fetch``) and the API requests (YouTube, GitHub, the
    Wayback Machine, with the client's retries): the same addresses allowed, deadline and user
    agent."""
    return NetPolicy(
        timeout=settings.deadline,
        idle_timeout=settings.timeout,
        # several names may share an address (and its pool): room for every worker
        connections_per_host=settings.concurrency,
        allow_private=settings.allow_private,
        allow_hosts=settings.allow_private_hosts,
        resolve=settings.resolve,
        retries=settings.retries,
        retry_after_cap=settings.retry_after_cap,
        backoff=settings.backoff,
        user_agent=settings.user_agent,
        max_redirects=settings.max_redirects,
    )


def _int(value: Any, key: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f"links.{key}: expected a whole number >= {low}, got {value!r}")
    return value


def _float(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"links.{key}: expected a number of seconds >= 0, got {value!r}")
    return float(value)


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"links.{key}: expected true or false, got {value!r}")
    return value


def _url(value: Any, key: str) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value):
        raise ConfigError(f"links.{key}: expected an http(s) URL, got {value!r}")
    return value


def _root(value: Any, key: str) -> str:
    """An API root: an http(s) URL, kept without its trailing slash."""
    return _url(value, key).rstrip("/")


def _archive_limit(value: Any, key: str) -> tuple[int, float]:
    if not isinstance(value, dict) or set(value) - {"requests", "per"}:
        raise ConfigError(
            f"links.{key}: expected a mapping like {{requests: 24, per: 60}} (CDX requests "
            "in so many seconds)"
        )
    requests = _int(value.get("requests", 24), f"{key}.requests", 1)
    per = _float(value.get("per", 60), f"{key}.per")
    return requests, per


def _patterns(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"links.{key}: expected a list of regular expressions")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"links.{key}: {pattern!r} is not a valid regex: {exc}") from None
    return tuple(value)


_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def parse_age(value: Any, key: str = "max_age") -> float:
    """Seconds, or a text like ``90m``, ``12h``, ``7d``.

    >>> parse_age("2h")
    7200.0
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _AGE.match(str(value)) if isinstance(value, str) else None
    if not match:
        where = key if key.startswith("--") else f"links.{key}"
        raise ConfigError(f"{where}: expected seconds or a time like 12h or 7d, got {value!r}")
    unit = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    return float(match.group(1)) * unit


def _host_rule(value: Any, key: str, base: HostRule) -> HostRule:
    if not isinstance(value, dict):
        raise ConfigError(f"links.{key}: expected a mapping with concurrency, interval, head")
    allowed = {"concurrency", "interval", "head"}
    for name in value:
        if name not in allowed:
            raise ConfigError(f"links.{key}.{name}: unknown key; use {', '.join(sorted(allowed))}")
    return HostRule(
        concurrency=_int(value.get("concurrency", base.concurrency), f"{key}.concurrency", 1),
        interval=_float(value.get("interval", base.interval), f"{key}.interval"),
        head=_bool(value.get("head", base.head), f"{key}.head"),
    )


def _hosts(value: Any, key: str) -> dict[str, HostRule]:
    if not isinstance(value, dict):
        raise ConfigError(f"links.{key}: expected a mapping of host → limits")
    hosts = {}
    for host, rule in value.items():
        name = str(host).lower()
        hosts[name] = _host_rule(rule, f"{key}.{name}", KNOWN_HOSTS.get(name, HostRule()))
    return hosts


def _resolve(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError("links.resolve: expected a mapping of host name → IP address")
    out = {}
    for host, address in value.items():
        try:
            ipaddress.ip_address(str(address))
        except ValueError:
            raise ConfigError(
                f"links.resolve.{host}: expected an IP address, got {address!r}"
            ) from None
        out[str(host).lower()] = str(address)
    return out


def from_config(section: Mapping[str, Any] | None) -> Settings:
    """Settings from the config's ``links:`` section (absent → defaults)."""
    if section is None:
        return Settings()
    if not isinstance(section, Mapping):
        raise ConfigError("links: expected a mapping of settings")
    s = Settings()
    simple = {
        "concurrency": lambda v, k: _int(v, k, 1),
        "timeout": _float,
        "deadline": _float,
        "retries": _int,
        "backoff": _float,
        "retry_after_cap": _float,
        "max_redirects": _int,
        "max_bytes": lambda v, k: _int(v, k, 1),
        "include": _patterns,
        "exclude": _patterns,
        "max_age": parse_age,
        "allow_private": _bool,
        "youtube_oembed": _url,
        "spotify_oembed": _url,
        "itunes_lookup": _url,
        "fail_on_unverifiable": _bool,
        "fail_after": lambda v, k: _int(v, k, 1),
        "youtube_thumbnail": _root,
        "archive_api": _root,
        "github_api": _root,
    }
    values: dict[str, Any] = {}
    for key, value in section.items():
        if key in simple:
            values[key] = simple[key](value, key)
        elif key == "per_host":
            values["default_host"] = _host_rule(value, key, HostRule())
        elif key == "hosts":
            values["hosts"] = _hosts(value, key)
        elif key == "cache":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"links.cache: expected a file path, got {value!r}")
            values["cache"] = Path(value)
        elif key == "user_agent":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError("links.user_agent: expected non-empty text")
            values["user_agent"] = value.strip()
        elif key == "allow_private_hosts":
            if not isinstance(value, list) or not all(
                isinstance(v, str) and re.fullmatch(r"[^\s:]+:\d+", v) for v in value
            ):
                raise ConfigError(
                    "links.allow_private_hosts: expected a list of host:port like 127.0.0.1:8080"
                )
            values["allow_private_hosts"] = frozenset(v.lower() for v in value)
        elif key == "resolve":
            values["resolve"] = _resolve(value)
        elif key == "profiles":
            values["profiles"] = profiles.from_config(value, _host_rule)
        elif key == "archive_limit":
            values["archive_requests"], values["archive_window"] = _archive_limit(value, key)
        else:
            raise ConfigError(
                f"links.{key}: unknown key; known keys: "
                + ", ".join(
                    sorted(
                        [
                            *simple,
                            "per_host",
                            "hosts",
                            "cache",
                            "user_agent",
                            "allow_private_hosts",
                            "resolve",
                            "profiles",
                            "archive_limit",
                        ]
                    )
                )
            )
    if "hosts" in values or "profiles" in values:
        # the profiles' politeness, then ``links.hosts`` over it
        table = values.get("profiles", s.profiles)
        values["hosts"] = {**table.rules(), **values.get("hosts", {})}
    return replace(s, **values)
