"""``upload transistor``: transcripts to Transistor's API, within its 10 requests in 10 s.

``GET /v1/episodes?show_id=…`` (JSON:API, paged) lists the episodes; ``PATCH
/v1/episodes/{id}`` with ``episode[transcript_text]`` sets the transcript (the build's SRT, so
the times survive). The key goes in ``x-api-key`` and only to the configured API root.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..net import Client, NetError
from ..net.limiter import Limiter
from .hosts import HostError, RemoteEpisode, net_failure
from .settings import HostSettings
from .sidecars import Sidecar

TOKEN_VARIABLE = "TRANSISTOR_API_KEY"
#: pages of the episode list read at most (50 episodes a page)
MAX_PAGES = 100


class Transistor:
    target = "transistor"
    kinds: ClassVar[dict[str, str]] = {"transcript": "transcript_srt"}

    def __init__(
        self, client: Client, settings: HostSettings, key: str, limit: Limiter | None = None
    ):
        if not settings.show_id:
            raise HostError(
                "upload.transistor.show_id: set the show's id (Transistor's API lists it)"
            )
        self.client, self.settings = client, settings
        self.headers = {"x-api-key": key}
        self.limit = limit or Limiter(10, 10.0)

    def episodes(self) -> list[RemoteEpisode]:
        found: list[RemoteEpisode] = []
        for page in range(1, MAX_PAGES + 1):
            body = self._json(
                "GET",
                "episodes",
                params={
                    "show_id": self.settings.show_id,
                    "pagination[page]": page,
                    "pagination[per]": 50,
                },
            )
            for item in body.get("data", []):
                attrs = item.get("attributes", {}) if isinstance(item, dict) else {}
                found.append(
                    RemoteEpisode(
                        str(item.get("id", "")),
                        str(attrs.get("title") or ""),
                        str(attrs.get("guid") or ""),
                        str(attrs.get("media_url") or ""),
                    )
                )
            if page >= int(body.get("meta", {}).get("totalPages", 1) or 1):
                break
        return found

    def current(self, kind: str, remote_id: str) -> str | None:
        body = self._json(
            "GET", f"episodes/{remote_id}", params={"fields[episode][]": "transcript_text"}
        )
        text = body.get("data", {}).get("attributes", {}).get("transcript_text")
        return text or None

    def send(self, kind: str, remote_id: str, sidecar: Sidecar) -> str:
        text = sidecar.read_text()
        self._json("PATCH", f"episodes/{remote_id}", json={"episode": {"transcript_text": text}})
        return text

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            with self.limit:
                answer = self.client.request(
                    method,
                    self.settings.api_url + path,
                    headers=self.headers,
                    follow_redirects=False,
                    **kwargs,
                )
        except NetError as exc:
            raise net_failure(f"transistor: {method} {path}", exc) from None
        if answer.status >= 400:
            raise HostError(f"transistor: {method} {path}: HTTP {answer.status} {_error(answer)}")
        try:
            body = answer.json()
        except ValueError:
            raise HostError(f"transistor: {method} {path}: the answer is not JSON") from None
        return body if isinstance(body, dict) else {}


def _error(answer: Any) -> str:
    try:
        body = answer.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("title") or errors[0].get("detail") or "")[:200]
    return ""
