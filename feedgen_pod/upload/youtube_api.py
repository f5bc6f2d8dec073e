"""The five YouTube Data API calls an upload makes, their unit costs, and sign-in.

googleapiclient builds each request from the discovery document it ships (no network to
discover), sent through ``google_transport.ApiHttp``. Failures come back as ``ApiFailure``
with YouTube's own reason (``quotaExceeded``, ``forbidden``...) and message.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import google.auth.exceptions
import orjson
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build as discovery_build
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from ..net import Client, NetError, clean_text
from .google_transport import ApiHttp

SCOPES = ["https://www.googleapis.com/auth/youtube.force-ssl"]
#: what each call costs of the day's quota (YouTube Data API v3)
UNITS = {
    "videos.list": 1,
    "captions.list": 50,
    "videos.update": 50,
    "captions.insert": 400,
    "captions.update": 450,
}
#: ids one videos.list call takes
VIDEOS_PER_LIST = 50


class ApiFailure(Exception):
    """A call YouTube refused or that did not reach it; ``reason`` is YouTube's own word."""

    def __init__(self, call: str, reason: str, message: str):
        super().__init__(f"{call}: {message}")
        self.call, self.reason, self.message = call, reason, message

    @property
    def quota_exceeded(self) -> bool:
        return self.reason in {"quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"}


def default_token_path() -> Path:
    """The token in the user's config folder (XDG), not in the project."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "feedgen-pod" / "youtube-token.json"


def load_credentials(path: Path, token_url: str) -> Any:
    """The stored OAuth token, or an OSError saying how to get one."""
    if path.exists() and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(f"warning: {path} can be read by other users; chmod 600 it", file=sys.stderr)
    try:
        info = orjson.loads(path.read_bytes())
        stored = Credentials.from_authorized_user_info(info, SCOPES)
        # google-auth always sets Google's token endpoint here; the config may name another
        return Credentials(
            token=stored.token,
            refresh_token=stored.refresh_token,
            token_uri=token_url,
            client_id=stored.client_id,
            client_secret=stored.client_secret,
            scopes=SCOPES,
            expiry=stored.expiry,
        )
    except FileNotFoundError:
        raise OSError(
            f"{path}: no YouTube token; run `feedgen-pod upload youtube --login` once "
            "(or set upload.youtube.token to the file CI restores from a secret)"
        ) from None
    except (OSError, ValueError) as exc:
        raise OSError(
            f"{path}: unreadable YouTube token ({exc}); sign in again with --login"
        ) from None


def save_credentials(credentials: Any, path: Path) -> None:
    """Written readable by the user only (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(credentials.to_json())
    os.replace(tmp, path)


def login(client_secrets: Path, token_path: Path) -> None:
    """The channel owner signs in once in a browser; the token is stored for later runs.

    google-auth-oauthlib runs this exchange itself (a local redirect page and one request to
    Google's token endpoint): it is the one request not made by the project's client.
    """
    flow = InstalledAppFlow.from_client_secrets_file(str(client_secrets), SCOPES)
    save_credentials(flow.run_local_server(port=0, open_browser=True), token_path)


class YouTubeApi:
    """videos.list, videos.update, captions.list, captions.insert and captions.update."""

    def __init__(self, client: Client, credentials: Any, api_url: str):
        self.http = ApiHttp(client, credentials, api_url)
        self.service = discovery_build(
            "youtube",
            "v3",
            http=self.http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": api_url},
        )

    def videos(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """id → snippet of the videos YouTube returns (one call per 50 ids)."""
        request = self.service.videos().list(part="snippet", id=",".join(ids), maxResults=50)
        answer = self._execute("videos.list", request)
        return {item["id"]: item.get("snippet", {}) for item in answer.get("items", [])}

    def update_snippet(self, video_id: str, snippet: dict[str, Any]) -> dict[str, Any]:
        """The whole snippet goes back: YouTube erases a writable field that is left out."""
        body = {"id": video_id, "snippet": snippet}
        request = self.service.videos().update(part="snippet", body=body)
        return self._execute("videos.update", request)

    def caption_tracks(self, video_id: str) -> list[dict[str, Any]]:
        request = self.service.captions().list(part="snippet", videoId=video_id)
        return list(self._execute("captions.list", request).get("items", []))

    def insert_caption(
        self, video_id: str, language: str, name: str, data: bytes
    ) -> dict[str, Any]:
        body = {"snippet": {"videoId": video_id, "language": language, "name": name}}
        request = self.service.captions().insert(part="snippet", body=body, media_body=_media(data))
        return self._execute("captions.insert", request)

    def update_caption(self, caption_id: str, data: bytes) -> dict[str, Any]:
        body = {"id": caption_id}
        request = self.service.captions().update(part="snippet", body=body, media_body=_media(data))
        return self._execute("captions.update", request)

    def _execute(self, call: str, request: Any) -> dict[str, Any]:
        try:
            return request.execute(num_retries=0)
        except HttpError as exc:
            raise _failure(call, exc) from None
        except NetError as exc:
            raise ApiFailure(call, exc.kind, exc.message) from None
        except google.auth.exceptions.GoogleAuthError as exc:
            message = f"the YouTube token could not be refreshed ({clean_text(str(exc))[:200]}); "
            raise ApiFailure(call, "authError", message + "sign in again with --login") from None


def _media(data: bytes) -> MediaInMemoryUpload:
    return MediaInMemoryUpload(data, mimetype="application/octet-stream", resumable=False)


def _failure(call: str, exc: HttpError) -> ApiFailure:
    """YouTube's error JSON (``{"error": {"errors": [{"reason": ...}], "message": ...}}``)."""
    status = exc.resp.status if exc.resp is not None else 0
    reason, message = f"http-{status}", f"HTTP {status}"
    try:
        error = orjson.loads(exc.content).get("error", {})
        reasons = [e.get("reason") for e in error.get("errors", []) if e.get("reason")]
        reason = reasons[0] if reasons else reason
        message = f"HTTP {status}: {error.get('message') or reason}"
    except (ValueError, AttributeError):
        pass
    return ApiFailure(call, reason, clean_text(message)[:300])
