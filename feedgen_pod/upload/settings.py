"""The ``upload:`` section of the config, typed: one sub-section per target.

Tokens never live here: they come from the environment (``BUZZSPROUT_TOKEN``,
``TRANSISTOR_API_KEY``) or from a token file (YouTube), so a config can be committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError

YOUTUBE_API = "https://youtube.googleapis.com/"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
BUZZSPROUT_API = "https://www.buzzsprout.com/api/"
TRANSISTOR_API = "https://api.transistor.fm/v1/"


@dataclass(frozen=True)
class YouTubeSettings:
    api_url: str = YOUTUBE_API
    #: where an expired access token is refreshed (Google's, unless a test double stands in)
    token_url: str = GOOGLE_TOKEN_URL
    #: YouTube's default quota; a project with a raised quota says so here
    daily_units: int = 10_000
    #: the stored OAuth token; default: the user's config folder
    token: Path | None = None
    #: the OAuth client of the channel owner's Google Cloud project (for --login)
    client_secrets: Path | None = None
    caption_language: str = "en"
    caption_name: str = "Edited transcript"
    caption_format: str = "srt"


@dataclass(frozen=True)
class HostSettings:
    api_url: str
    #: the show's id at the host (Buzzsprout podcast id, Transistor show id)
    show_id: str = ""


@dataclass(frozen=True)
class UploadSettings:
    youtube: YouTubeSettings = YouTubeSettings()
    buzzsprout: HostSettings = HostSettings(BUZZSPROUT_API)
    transistor: HostSettings = HostSettings(TRANSISTOR_API)


def upload_settings(section: Mapping[str, Any], where: Path) -> UploadSettings:
    """The typed section; a wrong key or value is a ConfigError naming it."""
    unknown = set(section) - {"youtube", "buzzsprout", "transistor"}
    if unknown:
        _fail(
            where,
            f"upload.{sorted(unknown)[0]}",
            "unknown target (youtube, buzzsprout, transistor)",
        )
    yt = _mapping(section.get("youtube"), where, "upload.youtube")
    _known(yt, where, "upload.youtube", YouTubeSettings.__dataclass_fields__)
    youtube = YouTubeSettings(
        api_url=_url(yt.get("api_url", YOUTUBE_API), where, "upload.youtube.api_url"),
        token_url=_url(
            yt.get("token_url", GOOGLE_TOKEN_URL), where, "upload.youtube.token_url"
        ).rstrip("/"),
        daily_units=_count(yt.get("daily_units", 10_000), where, "upload.youtube.daily_units"),
        token=_path(yt.get("token"), where, "upload.youtube.token"),
        client_secrets=_path(yt.get("client_secrets"), where, "upload.youtube.client_secrets"),
        caption_language=_text(
            yt.get("caption_language", "en"), where, "upload.youtube.caption_language"
        ),
        caption_name=_text(
            yt.get("caption_name", "Edited transcript"), where, "upload.youtube.caption_name"
        ),
        caption_format=_choice(
            yt.get("caption_format", "srt"), ("srt", "vtt"), where, "upload.youtube.caption_format"
        ),
    )
    hosts = {}
    for name, default in (("buzzsprout", BUZZSPROUT_API), ("transistor", TRANSISTOR_API)):
        raw = _mapping(section.get(name), where, f"upload.{name}")
        _known(raw, where, f"upload.{name}", HostSettings.__dataclass_fields__)
        show_id = raw.get("show_id", "")
        hosts[name] = HostSettings(
            api_url=_url(raw.get("api_url", default), where, f"upload.{name}.api_url"),
            show_id=_text(str(show_id), where, f"upload.{name}.show_id") if show_id != "" else "",
        )
    return UploadSettings(youtube, hosts["buzzsprout"], hosts["transistor"])


def _fail(where: Path, key: str, reason: str) -> None:
    raise ConfigError(f"{where}: {key}: {reason}")


def _mapping(value: Any, where: Path, key: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        _fail(where, key, "expected a mapping")
    return value


def _known(raw: Mapping[str, Any], where: Path, key: str, fields: Mapping[str, Any]) -> None:
    for name in raw:
        if name not in fields:
            _fail(where, f"{key}.{name}", f"unknown key (known: {', '.join(sorted(fields))})")


def _url(value: Any, where: Path, key: str) -> str:
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        _fail(where, key, f"expected an http:// or https:// URL, got {value!r}")
    return text if text.endswith("/") else text + "/"


def _count(value: Any, where: Path, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        _fail(where, key, f"expected a positive whole number, got {value!r}")
    return value


def _text(value: Any, where: Path, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(where, key, f"expected text, got {value!r}")
    return value.strip()


def _choice(value: Any, choices: tuple[str, ...], where: Path, key: str) -> str:
    if value not in choices:
        _fail(where, key, f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def _path(value: Any, where: Path, key: str) -> Path | None:
    if value is None:
        return None
    path = Path(_text(value, where, key)).expanduser()
    if path.is_absolute():
        return path
    here = where.resolve().parent  # relative to the project, as the config's folders are
    return (here.parent if here.name == "config" else here) / path
