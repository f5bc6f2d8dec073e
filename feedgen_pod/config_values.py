"""Parsers for the values of ``config/podcast.yaml``: each takes the value and its key and
returns it checked, or raises ``ValueError`` saying what was expected. ``config.KEYS`` names
one for every key.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .apple_categories import CATEGORIES


@dataclass(frozen=True)
class Key:
    parse: Callable[[Any, str], Any]
    help: str
    required: bool = False


def as_text(value: Any, key: str) -> str:
    if (
        not isinstance(value, (str, int, float))
        or isinstance(value, bool)
        or not str(value).strip()
    ):
        raise ValueError("expected non-empty text")
    return str(value).strip()


def as_https(value: Any, key: str) -> str:
    text = as_text(value, key)
    if not re.fullmatch(r"https://[^\s/?#]+\S*", text):
        raise ValueError(f"expected an https:// URL (podcast apps require https), got {text!r}")
    return text


def as_email(value: Any, key: str) -> str:
    text = as_text(value, key)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ValueError(f"expected an email address, got {text!r}")
    return text


def as_flag(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no"}:
        return value.lower() in {"true", "yes"}
    raise ValueError(f"expected true or false, got {value!r}")


def as_choice(*choices: str) -> Callable[[Any, str], str]:
    def parse(value: Any, key: str) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return str(value)

    return parse


def as_language(value: Any, key: str) -> str:
    text = as_text(value, key)
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", text):
        raise ValueError(f"expected a language code like en or en-us, got {text!r}")
    return text


def as_categories(value: Any, key: str) -> tuple[tuple[str, str | None], ...]:
    """(name, subcategory) pairs, made ``Category`` values by ``build_show``."""
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ValueError("expected a list like ['Technology', 'Business/Careers']")
    out = []
    for item in value:
        if isinstance(item, dict) and len(item) == 1:
            ((name, sub),) = item.items()
        elif isinstance(item, str):
            name, _, sub = item.partition("/")
        else:
            raise ValueError(f"expected 'Category' or 'Category/Subcategory', got {item!r}")
        name, sub = str(name).strip(), (str(sub).strip() or None) if sub else None
        if name not in CATEGORIES:
            raise ValueError(
                f"{name!r} is not an Apple Podcasts category; choose from: {', '.join(CATEGORIES)}"
            )
        if sub and sub not in CATEGORIES[name]:
            allowed = ", ".join(CATEGORIES[name]) or "none"
            raise ValueError(f"{sub!r} is not a subcategory of {name!r}; allowed: {allowed}")
        out.append((name, sub))
    return tuple(out)


def as_people_keys(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of people keys")
    for item in value:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", item):
            raise ValueError(f"{item!r} is not a people key (a file name in people/ without .md)")
    return tuple(value)


def as_path(value: Any, key: str) -> str:
    return as_text(value, key)


def as_source(value: Any, key: str) -> str | None:
    return None if value in (None, "") else as_text(value, key)


def as_positive(value: Any, key: str) -> float:
    # not NaN, infinity or a whole number past the largest float: ``float()`` or ``int()`` of
    # them raises, and no limit means them
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 < value <= sys.float_info.max
    ):
        raise ValueError(f"expected a positive number, got {value!r:.60}")
    return float(value)


class LimitError(ValueError):
    """A text over its Podcasting 2.0 limit (aggregators may cut it), with the problem's kind."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


def as_limited(value: Any, key: str, limit: int, kind: str) -> str:
    text = as_text(value, key)
    if len(text) > limit:
        raise LimitError(
            f"at most {limit} characters (the Podcasting 2.0 limit; apps may cut a longer "
            f"text), got {len(text)}: {text[:40]!r}...",
            kind,
        )
    return text


def as_pairs(first: str, second: str, first_limit: int, second_limit: int):
    """A list of ``{first, second}`` mappings (funding's url and text, txt's purpose and text);
    an over-long one is a ``LimitError`` of kind ``<key>-<first>-too-long`` or
    ``<key>-<second>-too-long``."""

    def parse(value: Any, key: str) -> tuple[tuple[str, str], ...]:
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ValueError(f"expected a list of {{{first}, {second}}} mappings")
        out = []
        for item in value:
            a = as_https(item.get(first), key) if first == "url" else item.get(first)
            a = as_limited(a, key, first_limit, f"{key}-{first}-too-long")
            b = as_limited(item.get(second), key, second_limit, f"{key}-{second}-too-long")
            out.append((a, b))
        return tuple(out)

    return parse


#: RRULE (RFC 5545) parts: FREQ is required, every part NAME=VALUE
_RRULE = re.compile(
    r"(?=(?:.*;)?FREQ=(?:SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(?:;|$))"
    r"(?:FREQ|UNTIL|COUNT|INTERVAL|BYSECOND|BYMINUTE|BYHOUR|BYDAY|BYMONTHDAY|BYYEARDAY"
    r"|BYWEEKNO|BYMONTH|BYSETPOS|WKST|DTSTART)=[A-Za-z0-9,+:-]+"
    r"(?:;(?:FREQ|UNTIL|COUNT|INTERVAL|BYSECOND|BYMINUTE|BYHOUR|BYDAY|BYMONTHDAY|BYYEARDAY"
    r"|BYWEEKNO|BYMONTH|BYSETPOS|WKST|DTSTART)=[A-Za-z0-9,+:-]+)*"
)


def as_update_frequency(value: Any, key: str) -> tuple[str, str]:
    if not isinstance(value, dict):
        raise ValueError("expected {rrule: FREQ=WEEKLY;BYDAY=TU, text: Weekly on Tuesdays}")
    rrule = as_text(value.get("rrule"), key).removeprefix("RRULE:")
    if not _RRULE.fullmatch(rrule):
        raise ValueError(f"rrule: expected an RFC 5545 rule like FREQ=WEEKLY, got {rrule!r}")
    return rrule, as_limited(value.get("text"), key, 128, "update-frequency-text-too-long")


def license_value(value: Any, key: str) -> tuple[str, str | None]:
    """An SPDX identifier (``CC-BY-4.0``), or ``{name, url}`` for another license."""
    if isinstance(value, dict):
        name = as_limited(value.get("name"), key, 128, "license-too-long")
        return name, as_https(value.get("url"), key)
    text = as_limited(value, key, 128, "license-too-long")
    if not re.fullmatch(r"[A-Za-z0-9.+-]+", text):
        raise ValueError(f"expected an SPDX identifier like CC-BY-4.0, or {{name, url}}: {text!r}")
    return text, None


def as_section(value: Any, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("expected a mapping")
    return dict(value)


def as_network_section(value: Any, key: str) -> dict[str, Any]:
    """The ``network:`` section: ``timeout`` (seconds a request may take, everything
    included), ``allow_private`` and ``allow_hosts`` (host or host:port allowed although
    private or loopback), ``ca_file`` (a CA bundle to verify certificates with)."""
    section = as_section(value, key)
    out: dict[str, Any] = {}
    for name, item in section.items():
        if name == "timeout":
            seconds = item if isinstance(item, (int, float)) and not isinstance(item, bool) else 0
            if not 0 < seconds <= 86400:
                raise ValueError(f"timeout: expected seconds above 0 (at most a day), got {item!r}")
            out[name] = float(seconds)
        elif name == "allow_private":
            out[name] = as_flag(item, name)
        elif name == "allow_hosts":
            items = [item] if isinstance(item, str) else item
            if not isinstance(items, list) or not all(
                isinstance(h, str) and re.fullmatch(r"[^\s:/]+(:\d{1,5})?", h) for h in items
            ):
                raise ValueError("allow_hosts: expected a list of host or host:port")
            out[name] = frozenset(h.lower() for h in items)
        elif name == "ca_file":
            out[name] = as_text(item, name)
        else:
            raise ValueError(
                f"{name}: unknown key; use timeout, allow_private, allow_hosts, ca_file"
            )
    return out


def as_template(value: Any, key: str) -> str:
    text = as_text(value, key)
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)]
    except ValueError as exc:
        raise ValueError(f"not a valid template: {exc}") from None
    names = {name for name, _, _ in fields if name is not None}
    if names - {"slug", "site_url"} or any(spec or conv for name, spec, conv in fields if name):
        raise ValueError("only {site_url} and {slug} may be used, without formats")
    if "slug" not in names:
        raise ValueError("must contain {slug}")
    if not text.startswith(("{site_url}", "https://")):
        raise ValueError("must start with {site_url} or https://")
    return text
