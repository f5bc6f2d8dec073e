"""Domain profiles: how the sites that refuse checkers answer, and what their answers mean.

A checker is not a browser. LinkedIn answers bots 999, X shows a login wall with status 200,
Cloudflare answers a 403 or 503 challenge page, Reddit and Stack Overflow answer 429 or 403
to anything that looks automated. Such answers say nothing about whether the page is there:
the link is *unverifiable*, not broken. The profiles below say, per site, which answers mean
that, and how politely to ask; they are data, in one table, which the config's
``links.profiles`` extends or overrides (``from_config``).

A profile with ``domains`` applies to those hosts and their subdomains (the most specific one
wins); a profile without is recognised by its answer on any host (a challenge page's headers or
text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError


@dataclass(frozen=True)
class HostRule:
    """Limits for one host and its subdomains."""

    concurrency: int = 4
    #: minimum seconds between two request starts to this host
    interval: float = 0.0
    #: False for hosts that answer HEAD wrongly: go straight to GET
    head: bool = True


@dataclass(frozen=True)
class Profile:
    """What one site's (or one kind of page's) answers mean to a checker."""

    name: str
    #: hosts it covers, each with its subdomains; none: recognised by its answer on any host
    domains: tuple[str, ...] = ()
    #: HTTP statuses that mean "checkers are refused" here, not "the page is gone"
    unverifiable: frozenset[int] = frozenset()
    #: every answer below 400 is a login wall: a checker never sees the page itself
    login_wall: bool = False
    #: final URL paths (prefixes) that are a login or consent wall (LinkedIn's ``/authwall``)
    wall_paths: tuple[str, ...] = ()
    #: (header, lowercase text in its value; "" for any value) that mark a challenge page
    headers: tuple[tuple[str, str], ...] = ()
    #: lowercase text that marks a challenge page in the first 4 KB of the body
    markers: tuple[str, ...] = ()
    #: what the report says about an unverifiable answer from here
    why: str = "the site does not let a checker see the page"
    #: how politely to ask (None: the default rule)
    rule: HostRule | None = None

    def judge(self, url: str, code: int, headers: Mapping[str, str], body: bytes) -> str | None:
        """Why this answer from ``url`` is unverifiable, or None when the profile says nothing
        about it."""
        if self.domains:
            if code in self.unverifiable:
                return f"{self.why} (HTTP {code})"
            walled = bool(self.wall_paths) and (
                (urlsplit(url).path or "/").lower().startswith(self.wall_paths)
            )
            if code < 400 and (self.login_wall or walled):
                return f"{self.why}: a login wall (HTTP {code})"
            if self._marked(headers, body):
                return f"{self.why} (HTTP {code})"
            return None
        if code in self.unverifiable and self._marked(headers, body):
            return f"{self.why} (HTTP {code})"
        return None

    def _marked(self, headers: Mapping[str, str], body: bytes) -> bool:
        for name, text in self.headers:
            value = headers.get(name)
            if value is not None and text in value.lower():
                return True
        if self.markers and body:
            head = body[:4096].lower()
            return any(m.encode() in head for m in self.markers)
        return False


_SLOW = HostRule(concurrency=2, interval=0.5)
_CHALLENGE = ("just a moment", "cf-chl", "challenge-platform", "checking your browser")

#: the built-in table; ``links.profiles`` in the config adds to it or overrides a row by name
PROFILES: tuple[Profile, ...] = (
    Profile(
        "linkedin",
        ("linkedin.com",),
        frozenset({999, 429, 403}),
        wall_paths=("/authwall", "/login", "/uas/login", "/checkpoint"),
        why="LinkedIn answers checkers with a bot wall",
        rule=HostRule(concurrency=1, interval=2.0, head=False),
    ),
    Profile(
        "x",
        ("x.com", "twitter.com"),
        frozenset({400, 401, 403, 429}),
        login_wall=True,
        why="X/Twitter shows checkers a login wall",
        rule=HostRule(concurrency=1, interval=1.0),
    ),
    Profile(
        "medium",
        ("medium.com",),
        frozenset({403, 429}),
        headers=(("cf-mitigated", ""),),
        markers=_CHALLENGE,
        why="Medium challenges checkers",
        rule=_SLOW,
    ),
    Profile(
        "reddit",
        ("reddit.com", "redd.it"),
        frozenset({403, 429}),
        wall_paths=("/login", "/account/login"),
        markers=("whoa there, pardner", "blocked by network security"),
        why="Reddit blocks checkers",
        rule=_SLOW,
    ),
    Profile(
        "npm",
        ("npmjs.com",),
        frozenset({403, 429}),
        headers=(("cf-mitigated", ""),),
        markers=_CHALLENGE,
        why="npm challenges checkers",
        rule=_SLOW,
    ),
    Profile(
        "stackoverflow",
        ("stackoverflow.com", "stackexchange.com"),
        frozenset({403, 429}),
        wall_paths=("/nocaptcha",),
        markers=("human verification",),
        why="Stack Overflow asks checkers to prove they are human",
        rule=_SLOW,
    ),
    Profile(
        "cloudflare",
        (),
        frozenset({403, 429, 503}),
        headers=(("cf-mitigated", "challenge"),),
        markers=_CHALLENGE,
        why="a Cloudflare challenge page",
    ),
    Profile(
        "bot-check",
        (),
        frozenset({401, 403, 429, 500, 502, 503}),
        markers=("captcha", "are you a robot", "access denied", "bot detection"),
        why="a bot-protection page",
    ),
    # politeness only: sites that throttle, with nothing special in their answers
    Profile("youtube", ("youtube.com", "youtu.be"), rule=_SLOW),
    Profile("spotify", ("spotify.com",), rule=_SLOW),
    Profile("apple", ("apple.com",), rule=_SLOW),
    Profile("github", ("github.com",), rule=_SLOW),
    Profile("anchor", ("anchor.fm",), rule=_SLOW),
)


class Table:
    """Profiles by domain (the most specific wins) and the answer-recognised ones."""

    def __init__(self, profiles: tuple[Profile, ...]):
        self.profiles = profiles
        self.by_domain = {d: p for p in profiles for d in p.domains}
        self.by_answer = tuple(p for p in profiles if not p.domains)

    def for_host(self, host: str) -> Profile | None:
        parts = host.lower().rstrip(".").split(".")
        for i in range(len(parts)):
            found = self.by_domain.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None

    def judge(
        self, url: str, host: str, code: int, headers: Mapping[str, str], body: bytes
    ) -> str | None:
        """Why an answer from ``url`` (on ``host``) is unverifiable, or None: the usual rules
        apply."""
        profile = self.for_host(host) if host else None
        if profile is not None:
            why = profile.judge(url, code, headers, body)
            if why is not None:
                return why
        for profile in self.by_answer:
            if code in profile.unverifiable:
                why = profile.judge(url, code, headers, body)
                if why is not None:
                    return why
        return None

    def rules(self) -> dict[str, HostRule]:
        """domain → politeness rule, for the profiles that have one."""
        return {d: p.rule for p in self.profiles if p.rule is not None for d in p.domains}


BUILT_IN = Table(PROFILES)

_KEYS = {f.name for f in fields(Profile)} - {"name", "rule"} | {"concurrency", "interval", "head"}


def _texts(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"links.profiles.{key}: expected a list of texts")
    return tuple(v.lower() for v in value)


def _statuses(value: Any, key: str) -> frozenset[int]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 999 for v in value
    ):
        raise ConfigError(f"links.profiles.{key}: expected a list of HTTP statuses like [403, 429]")
    return frozenset(value)


def _headers(value: Any, key: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, (str, type(None))) for k, v in value.items()
    ):
        raise ConfigError(
            f"links.profiles.{key}: expected a mapping of header → text in its value "
            "(empty for any value)"
        )
    return tuple((k.lower(), (v or "").lower()) for k, v in value.items())


def _domains(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(v, str) and re.fullmatch(r"[a-z0-9.-]+", v.lower()) for v in value
    ):
        raise ConfigError(f"links.profiles.{key}: expected a list of host names")
    return tuple(v.lower().strip(".") for v in value)


def from_config(value: Any, rule_of: Any) -> Table:
    """The built-in table with the config's ``links.profiles`` merged in.

    A profile named like a built-in one changes the fields it gives; another name adds a
    profile, for the host it is named after unless it gives ``domains`` (``[]`` for one that
    is recognised by its answer on any host). ``rule_of(value, key, base)`` reads the
    politeness keys (``concurrency``, ``interval``, ``head``).
    """
    if not isinstance(value, dict):
        raise ConfigError("links.profiles: expected a mapping of profile name → settings")
    by_name = {p.name: p for p in PROFILES}
    for raw_name, spec in value.items():
        name = str(raw_name).lower()
        if not isinstance(spec, dict):
            raise ConfigError(f"links.profiles.{name}: expected a mapping of settings")
        for key in spec:
            if key not in _KEYS:
                raise ConfigError(
                    f"links.profiles.{name}.{key}: unknown key; use {', '.join(sorted(_KEYS))}"
                )
        base = by_name.get(name) or Profile(name, _domains([name], f"{name}.domains"))
        changes: dict[str, Any] = {}
        readers = {
            "domains": _domains,
            "unverifiable": _statuses,
            "wall_paths": _texts,
            "markers": _texts,
            "headers": _headers,
        }
        for key, read in readers.items():
            if key in spec:
                changes[key] = read(spec[key], f"{name}.{key}")
        if "login_wall" in spec:
            if not isinstance(spec["login_wall"], bool):
                raise ConfigError(f"links.profiles.{name}.login_wall: expected true or false")
            changes["login_wall"] = spec["login_wall"]
        if "why" in spec:
            if not isinstance(spec["why"], str) or not spec["why"].strip():
                raise ConfigError(f"links.profiles.{name}.why: expected a sentence")
            changes["why"] = spec["why"].strip()
        polite = {k: spec[k] for k in ("concurrency", "interval", "head") if k in spec}
        if polite:
            changes["rule"] = rule_of(polite, f"profiles.{name}", base.rule or HostRule())
        by_name[name] = replace(base, **changes)
    return Table(tuple(by_name.values()))
