"""``upload buzzsprout``: transcripts and chapters to Buzzsprout's API.

``GET /{podcast}/episodes.json`` lists the host's episodes; a transcript is a multipart
``POST .../episodes/{id}/transcript`` (``transcript_file``, ``transcript_format`` srt), the
chapters a ``PUT .../episodes/{id}/chapters`` of ``title``, ``start_time`` and ``url``. The
token goes in ``Authorization: Token token=…`` and only to the configured API root.
"""

from __future__ import annotations

from typing import Any, ClassVar

import orjson

from ..net import Client, NetError
from .hosts import HostError, RemoteEpisode, net_failure
from .settings import HostSettings
from .sidecars import Sidecar

TOKEN_VARIABLE = "BUZZSPROUT_TOKEN"


class Buzzsprout:
    target = "buzzsprout"
    kinds: ClassVar[dict[str, str]] = {"transcript": "transcript_srt", "chapters": "chapters_json"}

    def __init__(self, client: Client, settings: HostSettings, token: str):
        if not settings.show_id:
            raise HostError(
                "upload.buzzsprout.show_id: set the podcast's id (from its Buzzsprout URL)"
            )
        self.client = client
        self.root = f"{settings.api_url}{settings.show_id}/"
        self.headers = {"Authorization": f"Token token={token}"}

    def episodes(self) -> list[RemoteEpisode]:
        items = self._json("GET", "episodes.json")
        if not isinstance(items, list):
            raise HostError("buzzsprout: episodes.json is not a list of episodes")
        return [
            RemoteEpisode(
                str(e.get("id", "")),
                str(e.get("title") or ""),
                str(e.get("guid") or ""),
                str(e.get("audio_url") or ""),
            )
            for e in items
            if isinstance(e, dict) and e.get("id") is not None
        ]

    def current(self, kind: str, remote_id: str) -> str | None:
        path = f"episodes/{remote_id}/{kind}"
        if kind == "chapters":
            chapters = self._json("GET", path, missing_ok=True)
            return _canonical(chapters.get("chapters", [])) if isinstance(chapters, dict) else None
        answer = self._request("GET", path, missing_ok=True)
        return answer.text if answer is not None else None

    def send(self, kind: str, remote_id: str, sidecar: Sidecar) -> str:
        path = f"episodes/{remote_id}/{kind}"
        if kind == "chapters":
            chapters = [
                {
                    k: v
                    for k, v in (
                        ("title", c.get("title", "")),
                        ("start_time", c.get("startTime", 0)),
                        ("url", c.get("url")),
                    )
                    if v is not None
                }
                for c in orjson.loads(sidecar.path.read_bytes()).get("chapters", [])
            ]
            self._json("PUT", path, json={"chapters": chapters})
            return _canonical(chapters)
        data = sidecar.path.read_bytes()
        files = {"transcript_file": ("transcript.srt", data, "application/x-subrip")}
        self._request("POST", path, data={"transcript_format": "srt"}, files=files)
        return data.decode("utf-8")

    def _json(self, method: str, path: str, missing_ok: bool = False, **kwargs: Any) -> Any:
        answer = self._request(method, path, missing_ok=missing_ok, **kwargs)
        if answer is None or not answer.content:
            return None
        try:
            return answer.json()
        except ValueError:
            raise HostError(f"buzzsprout: {method} {path}: the answer is not JSON") from None

    def _request(self, method: str, path: str, missing_ok: bool = False, **kwargs: Any) -> Any:
        url = self.root + path
        try:
            answer = self.client.request(
                method, url, headers=self.headers, follow_redirects=False, **kwargs
            )
        except NetError as exc:
            raise net_failure(f"buzzsprout: {method} {path}", exc) from None
        if answer.status == 404 and missing_ok:
            return None
        if answer.status >= 400:
            raise HostError(f"buzzsprout: {method} {path}: HTTP {answer.status} {_error(answer)}")
        return answer


def _canonical(chapters: Any) -> str:
    rows = (
        [
            {"title": c.get("title", ""), "start_time": c.get("start_time", 0), "url": c.get("url")}
            for c in chapters
            if isinstance(c, dict)
        ]
        if isinstance(chapters, list)
        else []
    )
    return orjson.dumps(rows, option=orjson.OPT_SORT_KEYS).decode() if rows else ""


def _error(answer: Any) -> str:
    try:
        body = answer.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        return str(body.get("error") or body.get("errors") or "")[:200]
    return ""
