"""The show's settings: ``config/podcast.yaml`` to a validated ``Show``.

Every key goes through ``KEYS`` (key → parser and help text); the README's config reference is
written from the same table, so a key cannot be undocumented. A wrong key or value is a
``ConfigError`` naming the file, line and key.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .apple_categories import CATEGORIES
from .errors import ConfigError, Problem, display_path
from .guids import PODCAST_NAMESPACE, uuid5
from .load import frontmatter
from .model import Category, ChapterSettings, FeedSettings, Person, Show, TranscriptSettings


def podcast_guid(feed_url: str) -> str:
    """UUIDv5 of the feed URL without scheme and trailing slashes, as the spec defines it."""
    stripped = re.sub(r"^[a-zA-Z]+://", "", feed_url.strip()).rstrip("/")
    return uuid5(PODCAST_NAMESPACE, stripped)


@dataclass(frozen=True)
class Key:
    parse: Callable[[Any, str], Any]
    help: str
    required: bool = False


def _text(value: Any, key: str) -> str:
    if (
        not isinstance(value, (str, int, float))
        or isinstance(value, bool)
        or not str(value).strip()
    ):
        raise ValueError("expected non-empty text")
    return str(value).strip()


def _https(value: Any, key: str) -> str:
    text = _text(value, key)
    if not re.fullmatch(r"https://[^\s/?#]+\S*", text):
        raise ValueError(f"expected an https:// URL (podcast apps require https), got {text!r}")
    return text


def _email(value: Any, key: str) -> str:
    text = _text(value, key)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ValueError(f"expected an email address, got {text!r}")
    return text


def _bool(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no"}:
        return value.lower() in {"true", "yes"}
    raise ValueError(f"expected true or false, got {value!r}")


def _choice(*choices: str) -> Callable[[Any, str], str]:
    def parse(value: Any, key: str) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return str(value)

    return parse


def _language(value: Any, key: str) -> str:
    text = _text(value, key)
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", text):
        raise ValueError(f"expected a language code like en or en-us, got {text!r}")
    return text


def _categories(value: Any, key: str) -> tuple[tuple[str, str | None], ...]:
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


def _keys(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of people keys")
    for item in value:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", item):
            raise ValueError(f"{item!r} is not a people key (a file name in people/ without .md)")
    return tuple(value)


def _path(value: Any, key: str) -> str:
    return _text(value, key)


def _optional_source(value: Any, key: str) -> str | None:
    return None if value in (None, "") else _text(value, key)


def _positive(value: Any, key: str) -> float:
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


def _limited(value: Any, key: str, limit: int, kind: str) -> str:
    text = _text(value, key)
    if len(text) > limit:
        raise LimitError(
            f"at most {limit} characters (the Podcasting 2.0 limit; apps may cut a longer "
            f"text), got {len(text)}: {text[:40]!r}...",
            kind,
        )
    return text


def _pairs(first: str, second: str, first_limit: int, second_limit: int):
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
            a = _https(item.get(first), key) if first == "url" else item.get(first)
            a = _limited(a, key, first_limit, f"{key}-{first}-too-long")
            b = _limited(item.get(second), key, second_limit, f"{key}-{second}-too-long")
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


def _update_frequency(value: Any, key: str) -> tuple[str, str]:
    if not isinstance(value, dict):
        raise ValueError("expected {rrule: FREQ=WEEKLY;BYDAY=TU, text: Weekly on Tuesdays}")
    rrule = _text(value.get("rrule"), key).removeprefix("RRULE:")
    if not _RRULE.fullmatch(rrule):
        raise ValueError(f"rrule: expected an RFC 5545 rule like FREQ=WEEKLY, got {rrule!r}")
    return rrule, _limited(value.get("text"), key, 128, "update-frequency-text-too-long")


def license_value(value: Any, key: str) -> tuple[str, str | None]:
    """An SPDX identifier (``CC-BY-4.0``), or ``{name, url}`` for another license."""
    if isinstance(value, dict):
        name = _limited(value.get("name"), key, 128, "license-too-long")
        return name, _https(value.get("url"), key)
    text = _limited(value, key, 128, "license-too-long")
    if not re.fullmatch(r"[A-Za-z0-9.+-]+", text):
        raise ValueError(f"expected an SPDX identifier like CC-BY-4.0, or {{name, url}}: {text!r}")
    return text, None


def _section(value: Any, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("expected a mapping")
    return dict(value)


def _publish(value: Any, key: str) -> dict[str, Any]:
    """Checked here, not at publish time: the feed reads ``websub_hubs`` and ``podping``."""
    from .publish.settings import check_section  # the publish package, only for this section

    return check_section(_section(value, key))


def _template(value: Any, key: str) -> str:
    text = _text(value, key)
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


#: every config key, with its parser and the help the README shows
KEYS: dict[str, Key] = {
    "title": Key(_text, "The show's name.", True),
    "description": Key(_text, "What the show is about (plain text; the feed's description).", True),
    "site_url": Key(_https, "The show's website; relative image paths resolve against it.", True),
    "feed_url": Key(_https, "Where feed.xml will be served (atom:link self, podcast:guid).", True),
    "base_url": Key(
        _https, "URL under which dist/ is served (chapter and transcript links).", True
    ),
    "language": Key(_language, "Language code, like en.", True),
    "author": Key(_text, "itunes:author: who makes the show.", True),
    "owner_name": Key(_text, "itunes:owner name (Apple contacts this person).", True),
    "owner_email": Key(_email, "itunes:owner email.", True),
    "image": Key(_https, "Show artwork URL (Apple: 1400-3000 px square JPEG or PNG).", True),
    "categories": Key(_categories, "Apple categories: 'Technology' or 'Business/Careers'.", True),
    "explicit": Key(_bool, "true if the show has explicit content (default false)."),
    "type": Key(_choice("episodic", "serial"), "episodic (newest first) or serial."),
    "copyright": Key(_text, "Copyright line."),
    "hosts": Key(_keys, "People keys of the hosts (profiles in the people directory)."),
    "episodes_dir": Key(
        _path, "Episode files, relative to the config's project (default episodes)."
    ),
    "people_dir": Key(_path, "People profiles (default people)."),
    "chapters_dir": Key(_path, "Timestamp lists sNNeMM-slug.txt, matched by season and episode."),
    "audio_feed": Key(
        _optional_source,
        "The host's existing RSS feed (path or URL) to take enclosures and guids from.",
    ),
    "media_dir": Key(_optional_source, "Folder of local audio files named <slug>.mp3/.m4a."),
    "episode_url": Key(
        _template, "Episode page URL; {site_url} and {slug} (the Jekyll page name) are replaced."
    ),
    "locked": Key(_bool, "podcast:locked: refuse imports by other hosts (default true)."),
    "medium": Key(
        _choice("podcast", "music", "video", "film", "audiobook", "newsletter", "blog"),
        "podcast:medium (default podcast).",
    ),
    "podcast_guid": Key(_text, "podcast:guid; by default the UUIDv5 of feed_url."),
    "transcripts": Key(_section, "max_line_length (42) and max_lines (2) of a caption cue."),
    "chapters": Key(
        _section,
        "min_seconds (10): shorter chapters merge into a neighbour; psc_links (false): an href "
        "on each psc:chapter in the feed (chapters.json has the links either way).",
    ),
    "soundbites": Key(
        _section,
        "max (2): podcast:soundbite tags an item; clips with soundbite: true first, then the "
        "first clips of 15-120 s after the first two minutes.",
    ),
    "feed": Key(
        _section,
        "max_items (all): the newest N items stay in feed.xml and feed-archive.xml holds all "
        "(Apple removes episodes that leave the feed); warn_mb (4): report a larger feed.",
    ),
    "funding": Key(
        _pairs("url", "text", 2048, 128),
        "podcast:funding: a list of {url, text} (text at most 128 characters).",
    ),
    "txt": Key(
        _pairs("purpose", "text", 128, 4000),
        "podcast:txt: a list of {purpose, text}, e.g. purpose applepodcastsverify.",
    ),
    "update_frequency": Key(
        _update_frequency, "podcast:updateFrequency: {rrule: FREQ=WEEKLY, text: Weekly}."
    ),
    "license": Key(
        license_value,
        "podcast:license: an SPDX id (CC-BY-4.0) or {name, url}; an episode's license "
        "front matter overrides it on its item.",
    ),
    "new_feed_url": Key(_https, "itunes:new-feed-url: where the feed moved (Apple follows it)."),
    "block": Key(_bool, "itunes:block: true keeps the show out of Apple Podcasts."),
    "complete": Key(_bool, "itunes:complete: true when no more episodes will come."),
    "links": Key(_section, "Link checker settings (see check-links)."),
    "publish": Key(_publish, "Publishing settings (the publish keys below)."),
}


def load_config(path: Path, overrides: Mapping[str, Any] | None = None) -> tuple[Show, dict]:
    """Read and validate the config; returns the Show (hosts unresolved) and raw settings."""
    data, lines = read_config(path)
    values = check_config(path, data, lines, overrides)
    return build_show(values, path, lines), values


def read_config(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The config file's mapping and the line of each key, not yet validated (``check_config``).

    Reading, validating and building the ``Show`` are three steps so that ``check-links`` can
    start on a fully validated config before the model's classes are imported.
    """
    where = display_path(path)
    try:
        text = frontmatter.decode(frontmatter.read_bounded(path))
    except OSError as exc:
        raise ConfigError(
            Problem(
                where,
                None,
                None,
                f"cannot read the config: {exc.strerror}; pass --config FILE",
                kind="config-unreadable",
            )
        ) from None
    except frontmatter.FrontMatterError as exc:
        raise ConfigError(
            Problem(where, exc.line, None, exc.message, kind="yaml-invalid")
        ) from None
    try:
        data, lines, found = frontmatter.load_yaml(text)
    except frontmatter.FrontMatterError as exc:
        raise ConfigError(
            Problem(where, exc.line, None, exc.message, kind="yaml-invalid")
        ) from None
    if found:  # a duplicate key or a control character: which value is meant is unclear
        line, key, message = found[0]
        raise ConfigError(Problem(where, line, key or None, message, kind="config-duplicate-key"))
    if not isinstance(data, dict):
        raise ConfigError(
            Problem(where, 1, None, "the config must be a mapping of keys", kind="config-invalid")
        )
    return data, lines


def check_config(
    path: Path,
    data: Mapping[str, Any],
    lines: Mapping[str, int],
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every key of ``read_config``'s mapping validated: the values ``build_show`` takes.
    Raises ``ConfigError`` for the first wrong, unknown or missing key; a config that passes
    builds its ``Show`` without error."""
    where = display_path(path)
    data = {**data, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    values: dict[str, Any] = {}
    for key, value in data.items():
        spec = KEYS.get(str(key))
        if spec is None:
            raise ConfigError(
                Problem(
                    where,
                    lines.get(str(key)),
                    str(key),
                    f"unknown key; known keys: {', '.join(KEYS)}",
                    kind="config-unknown-key",
                )
            )
        try:
            values[key] = spec.parse(value, key)
        except ValueError as exc:
            kind = exc.kind if isinstance(exc, LimitError) else "config-invalid-value"
            raise ConfigError(Problem(where, lines.get(key), key, str(exc), kind=kind)) from None
    for key, spec in KEYS.items():
        if spec.required and key not in values:
            raise ConfigError(
                Problem(where, None, key, f"missing: {spec.help}", kind="config-missing-key")
            )
    _cue_and_chapter_limits(values, where)
    feed_settings(values, where)
    return values


def _cue_and_chapter_limits(values: Mapping[str, Any], where: str) -> tuple[int, int, float]:
    """max_line_length, max_lines and min_seconds of the transcripts and chapters sections."""
    tr = values.get("transcripts", {})
    ch = values.get("chapters", {})
    try:
        return (
            int(_positive(tr.get("max_line_length", 42), "max_line_length")),
            int(_positive(tr.get("max_lines", 2), "max_lines")),
            _positive(ch.get("min_seconds", 10), "min_seconds"),
        )
    except ValueError as exc:
        raise ConfigError(
            Problem(where, None, "transcripts/chapters", str(exc), kind="config-invalid-value")
        ) from None


def feed_settings(values: Mapping[str, Any], where: str) -> FeedSettings:
    """The ``FeedSettings`` of the soundbites, chapters and feed sections."""

    bites, chapters, feed = (values.get(k, {}) for k in ("soundbites", "chapters", "feed"))
    try:
        limit = bites.get("max", 2)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"soundbites.max: expected a whole number from 0, got {limit!r}")
        max_items = feed.get("max_items")
        if max_items is not None:
            max_items = int(_positive(max_items, "max_items"))
        return FeedSettings(
            soundbites_max=limit,
            psc_links=_bool(chapters.get("psc_links", False), "psc_links"),
            max_items=max_items,
            warn_bytes=int(_positive(feed.get("warn_mb", 4), "warn_mb") * 1_000_000),
            funding=values.get("funding", ()),
            txt=values.get("txt", ()),
            update_frequency=values.get("update_frequency"),
            license=values.get("license"),
            new_feed_url=values.get("new_feed_url"),
            block=values.get("block", False),
            complete=values.get("complete", False),
        )
    except ValueError as exc:
        raise ConfigError(
            Problem(where, None, "soundbites/chapters/feed", str(exc), kind="config-invalid-value")
        ) from None


def folder(values: Mapping[str, Any], path: Path, key: str, default: str | None) -> Path | None:
    """The folder a config key names (``episodes_dir``), relative to the config's project:
    the folder above ``config/`` when the config is in one, else the config's folder."""
    value = values.get(key, default)
    if value is None:
        return None
    folder = Path(value)
    if folder.is_absolute():
        return folder
    here = path.resolve().parent
    return (here.parent if here.name == "config" else here) / folder


def build_show(values: Mapping[str, Any], path: Path, lines: dict[str, int]) -> Show:
    """The ``Show`` of ``check_config``'s values."""
    max_line_length, max_lines, min_seconds = _cue_and_chapter_limits(values, display_path(path))
    audio_feed = values.get("audio_feed")
    if audio_feed and "://" not in audio_feed and not Path(audio_feed).is_absolute():
        audio_feed = str(folder(values, path, "audio_feed", None))
    return Show(
        title=values["title"],
        description=values["description"],
        site_url=values["site_url"],
        feed_url=values["feed_url"],
        base_url=values["base_url"],
        language=values["language"],
        author=values["author"],
        owner_name=values["owner_name"],
        owner_email=values["owner_email"],
        image_url=values["image"],
        categories=tuple(Category(name, sub) for name, sub in values["categories"]),
        explicit=values.get("explicit", False),
        type=values.get("type", "episodic"),
        copyright=values.get("copyright"),
        hosts=tuple(Person(key=k, name=k) for k in values.get("hosts", ())),
        episodes_dir=folder(values, path, "episodes_dir", "episodes") or Path("episodes"),
        people_dir=folder(values, path, "people_dir", "people") or Path("people"),
        audio_feed=audio_feed,
        media_dir=folder(values, path, "media_dir", None),
        episode_url=values.get("episode_url", "{site_url}/podcast/{slug}.html"),
        locked=values.get("locked", True),
        medium=values.get("medium", "podcast"),
        podcast_guid=values.get("podcast_guid") or podcast_guid(values["feed_url"]),
        transcripts=TranscriptSettings(max_line_length=max_line_length, max_lines=max_lines),
        chapters=ChapterSettings(
            min_seconds=min_seconds, directory=folder(values, path, "chapters_dir", None)
        ),
        feed=feed_settings(values, display_path(path)),
        sections={k: values.get(k, {}) for k in ("links", "publish")},
        source=path,
        field_lines=lines,
    )
