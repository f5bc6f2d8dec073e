"""The config keys that say how a site lays out its episode files: ``preset``, ``fields``,
``content_dir``, ``page_base_url``, ``media_url``, ``permalink``, ``date_order``,
``release_time`` and ``timezone`` (docs/presets.md). Each parser takes the value and its key
and returns it checked, or raises ``ValueError`` saying what was expected."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .config_values import Key, as_path, as_text
from .load.dates import DATE_ORDERS, parse_release_time
from .load.presets import PRESETS, TARGETS, UNITS
from .model import FieldRule, SiteLayout


def as_preset(value: Any, key: str) -> str:
    if value not in PRESETS:
        raise ValueError(f"expected one of {', '.join(PRESETS)}, got {value!r}")
    return str(value)


def _keys(value: Any, target: str) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if (
        not isinstance(names, list)
        or not names
        or not all(isinstance(n, str) and n.strip() for n in names)
    ):
        raise ValueError(f"{target}: expected a front matter key or a list of keys, got {value!r}")
    return tuple(n.strip() for n in names)


def as_fields(value: Any, key: str) -> tuple[tuple[str, FieldRule], ...]:
    """``target: key``, ``target: [key, other]`` or ``target: {from: key, unit:, format:}``."""
    if not isinstance(value, dict):
        raise ValueError("expected a mapping like 'audio.url: podcast_link'")
    rows = []
    for target, spec in value.items():
        target = str(target)
        if target not in TARGETS:
            raise ValueError(f"{target!r} is not an episode field; known: {', '.join(TARGETS)}")
        unit = form = None
        if isinstance(spec, dict):
            unknown = set(spec) - {"from", "unit", "format"}
            if unknown or "from" not in spec:
                raise ValueError(
                    f"{target}: expected {{from: key, unit: ..., format: ...}}, got {spec!r}"
                )
            names = _keys(spec["from"], target)
            unit, form = spec.get("unit"), spec.get("format")
        else:
            names = _keys(spec, target)
        allowed = UNITS.get(TARGETS[target], ())
        if unit is not None and unit not in allowed:
            choices = ", ".join(allowed) or "none"
            raise ValueError(f"{target}: unit {unit!r} is not one of: {choices}")
        if form is not None and not (isinstance(form, str) and form.strip()):
            raise ValueError(f"{target}: format must be text, got {form!r}")
        rows.append((target, FieldRule(names, unit, form)))
    return tuple(rows)


def as_url(value: Any, key: str) -> str:
    """An http(s) URL: these keys hold what a site already published, http included."""
    text = as_text(value, key)
    if not re.fullmatch(r"https?://[^\s/?#]+\S*", text):
        raise ValueError(f"expected an http(s):// URL, got {text!r}")
    return text


def as_permalink(value: Any, key: str) -> str:
    text = as_text(value, key)
    if text not in ("date", "pretty", "ordinal", "weekdate", "none") and not text.startswith("/"):
        raise ValueError(
            f"expected date, pretty, ordinal, none or a pattern like /:title/: {text!r}"
        )
    return text


def as_date_order(value: Any, key: str) -> str:
    if value not in DATE_ORDERS:
        raise ValueError(f"expected one of {', '.join(DATE_ORDERS)}, got {value!r}")
    return str(value)


def as_release_time(value: Any, key: str) -> Any:
    return parse_release_time(value)


def as_timezone(value: Any, key: str) -> str:
    text = as_text(value, key)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"expected an IANA time zone like Europe/Berlin, got {text!r}") from None
    return text


#: the site layout keys, added to ``config.KEYS``
SITE_KEYS: dict[str, Key] = {
    "preset": Key(as_preset, f"Site layout: {', '.join(PRESETS)} (default datatalksclub)."),
    "fields": Key(as_fields, "Episode field → front matter key, over the preset's (see presets)."),
    "content_dir": Key(as_path, "Hugo/Eleventy content folder: page URLs are paths under it."),
    "page_base_url": Key(as_url, "The site's address in its links and guids (default site_url)."),
    "media_url": Key(as_url, "Put before an audio file name that is not a whole URL."),
    "permalink": Key(as_permalink, "The generator's pattern for episode page URLs."),
    "date_order": Key(as_date_order, "dmy or mdy: how to read a date like 6/5/2024."),
    "release_time": Key(as_release_time, "HH:MM: when an episode dated by day alone is out."),
    "timezone": Key(as_timezone, "IANA zone of release_time and of dates without a zone."),
}


def site_layout(
    values: Mapping[str, Any], content_dir: Path | None, sizes_file: Path | None
) -> SiteLayout:
    """The ``SiteLayout`` of checked config values (folders resolved by the caller)."""
    return SiteLayout(
        preset=values.get("preset", "datatalksclub"),
        fields=values.get("fields", ()),
        content_dir=content_dir,
        page_base_url=values.get("page_base_url"),
        media_url=values.get("media_url"),
        permalink=values.get("permalink"),
        date_order=values.get("date_order"),
        release_time=values.get("release_time"),
        timezone=values.get("timezone"),
        sizes_file=sizes_file,
    )
