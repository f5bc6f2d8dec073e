"""Front matter fields: one small parse function per key (``FIELDS``), and what they share.

A parse function takes the YAML value, the ``Context`` (file, lines, where to report) and the
field's name, and returns the model value or raises ``FieldError`` saying what was expected;
the loader then reports the field with its line and leaves it out. Values are bounded here
(times within 100 hours, numbers within sense, URLs http(s) only, paths that cannot climb out),
so no format downstream has to guess what hostile input might hold.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config_values import LimitError, as_flag, license_value
from ..model import UNKNOWN_LENGTH, Audio, AudioSource, Clip, Enclosure, LiveStream
from ..times import parse_clock, parse_iso_duration
from .dates import Released, read_date
from .field_audio import alternates, guess_audio_type
from .field_base import (
    HTTP_URL,
    MAX_SECONDS,
    Context,
    FieldError,
    clean_text,
    seconds_value,
    short_repr,
)
from .live import LiveError, parse_live

PLACEHOLDERS = {"", "todo", "tbd", "tba", "none", "null", "-", "n/a"}
#: what a people key may look like: it becomes part of URLs and ids
_PERSON_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _text(value: Any, ctx: Context, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldError(f"expected text, got {type(value).__name__}")
    text = clean_text(str(value)).strip()
    return text or None


def _one_line(value: Any, ctx: Context, name: str) -> str | None:
    """Text that names something (a title): line breaks and runs of spaces become one space.

    A title is one line everywhere it goes (an ffmetadata value, a VTT cue, an RSS title); a
    stray CR or blank line in it would end a cue or a record early.
    """
    text = _text(value, ctx, name)
    return " ".join(text.split()) if text else None


def _positive_int(value: Any, ctx: Context, name: str) -> int | None:
    if value is None:
        return None
    number = value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip()[:12])  # at most 12 digits read: more is out of range anyway
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < 10**9:
        raise FieldError(f"expected a whole number like 3, got {short_repr(value)}")
    return number


def _keys(value: Any, ctx: Context, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FieldError("expected a list of people keys like [alexeygrigorev]")
    keys = []
    for key in (v.strip() for v in value if v.strip()):
        if _PERSON_KEY.match(key):
            keys.append(key)
        else:
            ctx.report(
                name,
                f"{short_repr(key)} is not a people key (letters, digits, '.', '_', '-'; "
                "the name of a file in people/ without .md); ignored",
                kind="guest-key-invalid",
            )
    return tuple(keys)


def _str_list(value: Any, ctx: Context, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise FieldError(
            f"expected a list of words or a comma-separated text, got {type(value).__name__}"
        )
    return tuple(clean_text(str(v)).strip() for v in value if str(v).strip())


def _mapping(value: Any, ctx: Context, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FieldError(f"expected a mapping like 'youtube: ...', got {type(value).__name__}")
    out: dict[str, str] = {}
    for key, item in value.items():
        if item is None or (isinstance(item, str) and item.strip().lower() in PLACEHOLDERS):
            if item is not None and str(item).strip():
                ctx.warn(
                    f"{name}.{key}",
                    f"placeholder {item!r} ignored; fill it in or remove it",
                    kind="link-placeholder",
                )
            continue
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            ctx.report(
                f"{name}.{key}",
                f"expected text, got {type(item).__name__}; ignored",
                kind="link-invalid",
            )
            continue
        out[str(key)] = str(item).strip()
    return out


def _links(value: Any, ctx: Context, name: str) -> dict[str, str]:
    links = _mapping(value, ctx, name)
    for key, url in list(links.items()):
        if not HTTP_URL.match(url):
            ctx.report(
                f"{name}.{key}",
                f"expected an http(s) URL, got {url!r}; ignored",
                kind="link-invalid",
            )
            del links[key]
    return links


def _date(value: Any, ctx: Context, name: str) -> Released | None:
    """The day, and the moment when the file or the config gives a time (``dates``); a date
    missing its year, month or day is refused, never completed by a guess."""
    if value is None or value == "":
        return None
    try:
        released = read_date(value, ctx.dates)
    except ValueError as exc:
        raise FieldError(str(exc), "date-invalid") from None
    if released.warning:
        ctx.warn(name, released.warning, kind="date-ambiguous")
    return released


def _duration(value: Any, ctx: Context, name: str) -> float | None:
    if value is None or value == "":
        return None
    seconds: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # compared before ``float()``, which overflows on a whole number past 10**308
        seconds = float(value) if 0 <= value <= MAX_SECONDS else None
    elif isinstance(value, str):
        try:
            seconds = parse_iso_duration(value)
        except ValueError:
            with contextlib.suppress(ValueError):
                seconds = parse_clock(value)
    if seconds is not None and 0 <= seconds <= MAX_SECONDS:
        return seconds
    raise FieldError(
        f"expected an ISO 8601 duration like PT1H2M3S (at most 100 hours), got {short_repr(value)}"
    )


def _clips(value: Any, ctx: Context, name: str) -> tuple[Clip, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FieldError(f"expected a list of clips, got {type(value).__name__}")
    clips: list[Clip] = []
    for index, item in enumerate(value):
        path = f"{name}.{index}"
        line = ctx.lines.get(path)
        if not isinstance(item, dict):
            ctx.report(
                path,
                "expected a clip with name, startOffset and endOffset; skipped",
                kind="clip-invalid",
            )
            continue
        try:
            title = _one_line(item.get("name"), ctx, path)
            start = seconds_value(item.get("startOffset"))
            end = seconds_value(item.get("endOffset"))
        except FieldError as exc:
            ctx.report(path, f"{exc}; clip skipped", kind="clip-invalid")
            continue
        if not title or start is None:
            ctx.report(path, "a clip needs a name and a startOffset; skipped", kind="clip-invalid")
            continue
        if end is not None and end <= start:
            ctx.warn(
                path,
                f"endOffset {end:g} is not after startOffset {start:g}; end ignored",
                kind="clip-end-before-start",
            )
            end = None
        url = item.get("url")
        if url is not None and not (isinstance(url, str) and HTTP_URL.match(url)):
            ctx.report(
                f"{path}.url",
                f"expected an http(s) URL, got {short_repr(url)}; ignored",
                kind="clip-invalid",
            )
            url = None
        soundbite = item.get("soundbite", False)
        if not isinstance(soundbite, bool):
            ctx.warn(
                f"{path}.soundbite",
                f"expected true or false, got {short_repr(soundbite)}",
                kind="clip-invalid",
            )
            soundbite = False
        clips.append(Clip(title, start, end, url, line or 0, soundbite))
    return tuple(clips)


def _audio(value: Any, ctx: Context, name: str) -> Audio | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FieldError("expected a mapping with url, length and type")
    url = value.get("url")
    length = value.get("length")
    if not isinstance(url, str) or not HTTP_URL.match(url):
        raise FieldError(f"audio.url must be an http(s) URL, got {short_repr(url)}")
    if length is None or length == "":
        length = UNKNOWN_LENGTH  # the media file, the sizes cache or 0 (``load.sizes``)
    elif isinstance(length, bool) or not isinstance(length, int) or not 0 <= length < 10**13:
        raise FieldError(f"audio.length must be the file size in bytes, got {short_repr(length)}")
    kind = value.get("type") or guess_audio_type(url)
    if not isinstance(kind, str) or not re.match(r"^[a-z]+/[A-Za-z0-9.+-]+$", kind):
        raise FieldError(f"audio.type must be a MIME type like audio/mpeg, got {short_repr(kind)}")
    duration = _duration(value.get("duration"), ctx, f"{name}.duration")
    return Audio(
        Enclosure(url, length, str(kind), duration),
        AudioSource.FRONT_MATTER,
        guid=_text(value.get("guid"), ctx, name),
        alternates=alternates(value.get("alternates"), ctx, f"{name}.alternates"),
    )


def _episode_type(value: Any, ctx: Context, name: str) -> str:
    if value not in EPISODE_TYPES:
        raise FieldError(f"expected one of {', '.join(EPISODE_TYPES)}, got {short_repr(value)}")
    return str(value)


#: ``itunes:episodeType`` values
EPISODE_TYPES = ("full", "trailer", "bonus")


def _license(value: Any, ctx: Context, name: str) -> tuple[str, str | None]:
    """The item's ``podcast:license``: an SPDX identifier, or ``{name, url}``."""
    try:
        return license_value(value, name)
    except ValueError as exc:
        raise FieldError(str(exc), exc.kind if isinstance(exc, LimitError) else "") from None


def _live(value: Any, ctx: Context, name: str) -> LiveStream | None:
    """A wrong part is reported at its own line and the live item is left out (a stream apps
    cannot play, or at a wrong time, helps nobody); the episode still builds."""
    try:
        return parse_live(value, name)
    except LiveError as exc:
        ctx.report(exc.part, f"{exc}; the live item is left out of feed.xml", kind=exc.kind)
        return None


def _relative_file(value: Any, ctx: Context, name: str) -> Path | None:
    """A path relative to the episode file; absolute paths and ``..`` are refused."""
    text = _text(value, ctx, name)
    if text is None:
        return None
    candidate = Path(text)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise FieldError(f"must be a path relative to the episode file, without '..': {text!r}")
    return ctx.path.parent / candidate


def _image(value: Any, ctx: Context, name: str) -> str | None:
    """An http(s) URL or a site-relative path; other schemes and ``..`` are refused."""
    text = _text(value, ctx, name)
    if text is None:
        return None
    return checked_image(text)


def checked_image(text: str) -> str:
    """Raise FieldError unless ``text`` is an http(s) URL or a site path without ``..``."""
    if HTTP_URL.match(text):
        return text
    if (
        re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text)  # javascript:, data:, file:
        or text.startswith("//")
        or "\\" in text
        or ".." in text.split("/")
        or re.search(r"\s", text)
    ):
        raise FieldError(
            f"expected an https URL or a site path like images/x.jpg, got {short_repr(text)}"
        )
    return text


#: a Jekyll permalink as a plain path: no scheme, no ``:placeholder``, no ``..``, no spaces
_SITE_PATH = re.compile(r"^/(?!/)[^\s:\\]*$")


def _permalink(value: Any, ctx: Context, name: str) -> str | None:
    """The page's path on the site (``/podcast/x.html``), as Jekyll's ``permalink`` sets it."""
    text = _text(value, ctx, name)
    if text is None:
        return None
    if not _SITE_PATH.match(text) or ".." in text.split("/"):
        raise FieldError(
            "expected the page's path on the site like /podcast/x.html (no :placeholders), "
            f"got {short_repr(text)}"
        )
    return text


def _explicit(value: Any, ctx: Context, name: str) -> bool | None:
    """The episode's ``itunes:explicit``: true/false or yes/no; Apple's old ``clean`` is false;
    empty is not set (the show's flag applies)."""
    text = value.strip().lower() if isinstance(value, str) else value
    if text is None or text == "":
        return None
    try:
        return False if text == "clean" else as_flag(text, name)
    except ValueError as exc:
        raise FieldError(str(exc)) from None


def _ignore(value: Any, ctx: Context, name: str) -> Any:
    return value


Parse = Callable[[Any, Context, str], Any]

#: front matter key → parse function; unknown keys are a warning that names them
FIELDS: dict[str, Parse] = {
    "title": _one_line,
    "short": _one_line,
    "season": _positive_int,
    "episode": _positive_int,
    "guests": _keys,
    "image": _image,
    "ids": _mapping,
    "links": _links,
    "intro": _text,
    "description": _text,
    "topics": _str_list,
    "keywords": _str_list,
    "dateadded": _date,
    "date": _date,
    "duration": _duration,
    "quotableClips": _clips,
    "transcript": _ignore,  # parsed by load.transcript, which needs the people
    "audio": _audio,
    "captions": _relative_file,
    "timestamps": _relative_file,
    "context": _text,
    "layout": _ignore,
    "guid": _one_line,
    "slug": _one_line,  # the page's name on the site (Jekyll): see ``Episode.page_slug``
    "permalink": _permalink,
    "episodeType": _episode_type,
    "explicit": _explicit,
    "license": _license,
    "live": _live,
}
