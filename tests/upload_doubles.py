"""Loopback doubles of the YouTube Data API, Buzzsprout and Transistor for upload tests.

Each follows its documented API as far as an upload uses it: auth required, required fields
checked, YouTube's daily units and Transistor's rate limit enforced, errors in the API's own
JSON shape. Every call is logged so a test can count what was sent. Bound to 127.0.0.1 only.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import http.server
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

YOUTUBE_UNITS = {
    ("GET", "/youtube/v3/videos"): 1,
    ("PUT", "/youtube/v3/videos"): 50,
    ("GET", "/youtube/v3/captions"): 50,
    ("POST", "/upload/youtube/v3/captions"): 400,
    ("PUT", "/upload/youtube/v3/captions"): 450,
}


class Answer(Exception):
    """Raised by a route to answer with this status and JSON body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


class Double(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, route: Callable[[Request], Any]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.route = route
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/"

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class Request:
    def __init__(
        self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes
    ):
        self.method, self.path, self.query, self.headers, self.body = (
            method,
            path,
            query,
            headers,
            body,
        )

    def arg(self, name: str) -> str:
        return (self.query.get(name) or [""])[0]

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            raise Answer(400, {"error": "body is not JSON"}) from None

    def parts(self) -> list[tuple[dict[str, str], bytes]]:
        """The parts of a multipart body (form-data or related), with their headers."""
        head = f"Content-Type: {self.headers.get('Content-Type', '')}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        if not message.is_multipart():
            raise Answer(400, {"error": "expected a multipart body"})
        return [
            (dict(part.items()), part.get_payload(decode=True) or b"")
            for part in message.iter_parts()
        ]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Double

    def log_message(self, *args: object) -> None:
        pass

    def _any(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, parts.path, parse_qs(parts.query), self.headers, body)
        with self.server.lock:
            self.server.calls.append((self.command, parts.path))
            try:
                status, payload, headers = 200, self.server.route(request), {}
            except Answer as answer:
                status, payload, headers = answer.status, answer.body, answer.headers
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header(
            "Content-Type", "text/plain" if isinstance(payload, bytes) else "application/json"
        )
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_PUT = do_PATCH = _any


# -- YouTube ----------------------------------------------------------------------------------


def youtube_error(status: int, reason: str, message: str) -> Answer:
    return Answer(
        status,
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": "youtube", "reason": reason}],
            }
        },
    )


class YouTube:
    """Videos of one channel with snippets and caption tracks, and the day's units."""

    WRITABLE = ("title", "description", "tags", "categoryId", "defaultLanguage")

    def __init__(self, video_ids: list[str], token: str = "good-token", daily_units: int = 10_000):
        self.token, self.daily_units, self.units = token, daily_units, 0
        self.snippets = {
            vid: {
                "title": f"Video {vid}",
                "description": f"About {vid}.\n\nLinks below.",
                "categoryId": "28",
                "tags": ["data", vid],
                "channelId": "UCdouble",
                "publishedAt": "2024-01-01T00:00:00Z",
            }
            for vid in video_ids
        }
        self.tracks: dict[str, dict[str, Any]] = {}
        self.track_bodies: dict[str, bytes] = {}
        self.clock = 0
        self.server = Double(self.route)
        self.refreshed = 0

    def stamp(self) -> str:
        self.clock += 1
        return f"2026-12-07T00:00:{self.clock:02d}.000Z"

    def route(self, r: Request) -> Any:
        if r.path == "/token":
            self.refreshed += 1
            return {"access_token": self.token, "expires_in": 3600, "token_type": "Bearer"}
        if r.headers.get("Authorization") != f"Bearer {self.token}":
            raise youtube_error(401, "authError", "Invalid Credentials")
        cost = YOUTUBE_UNITS.get((r.method, r.path))
        if cost is None:
            raise youtube_error(404, "notFound", f"no such method {r.method} {r.path}")
        if self.units + cost > self.daily_units:
            raise youtube_error(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
            )
        self.units += cost
        if r.path == "/youtube/v3/videos":
            return self.videos_list(r) if r.method == "GET" else self.videos_update(r)
        if r.path == "/youtube/v3/captions":
            vid = r.arg("videoId")
            if vid not in self.snippets:
                raise youtube_error(404, "videoNotFound", "The video could not be found.")
            return {"items": [t for t in self.tracks.values() if t["snippet"]["videoId"] == vid]}
        return self.caption_write(r)

    def videos_list(self, r: Request) -> Any:
        if r.arg("part") != "snippet" or not r.arg("id"):
            raise youtube_error(400, "missingRequiredParameter", "part and id are required")
        ids = r.arg("id").split(",")
        if len(ids) > 50:
            raise youtube_error(400, "invalidValue", "at most 50 ids")
        return {
            "items": [
                {"id": v, "snippet": dict(self.snippets[v])} for v in ids if v in self.snippets
            ]
        }

    def videos_update(self, r: Request) -> Any:
        body = r.json()
        vid, snippet = body.get("id"), body.get("snippet") or {}
        if vid not in self.snippets:
            raise youtube_error(404, "videoNotFound", "The video could not be found.")
        if not snippet.get("title"):
            raise youtube_error(
                400,
                "invalidTitle",
                "The request metadata specifies an invalid or empty video title.",
            )
        if not snippet.get("categoryId"):
            raise youtube_error(
                400, "invalidCategoryId", "The snippet.categoryId property is required."
            )
        kept = {k: v for k, v in self.snippets[vid].items() if k not in self.WRITABLE}
        # a writable field left out of the request is erased, as YouTube does
        self.snippets[vid] = {**kept, **{k: snippet[k] for k in self.WRITABLE if k in snippet}}
        return {"id": vid, "snippet": dict(self.snippets[vid])}

    def caption_write(self, r: Request) -> Any:
        if r.arg("uploadType") != "multipart" or r.arg("part") != "snippet":
            raise youtube_error(
                400, "invalidValue", "uploadType=multipart and part=snippet expected"
            )
        (_, meta), (_, media) = r.parts()
        resource = json.loads(meta)
        if not media:
            raise youtube_error(
                400, "mediaBodyRequired", "The request does not include the caption track content."
            )
        if r.method == "POST":
            snip = resource.get("snippet") or {}
            if snip.get("videoId") not in self.snippets:
                raise youtube_error(404, "videoNotFound", "The video could not be found.")
            if not snip.get("language") or not snip.get("name"):
                raise youtube_error(400, "invalidMetadata", "language and name are required")
            cid = f"cap-{len(self.tracks) + 1}"
            self.tracks[cid] = {
                "id": cid,
                "snippet": {
                    "videoId": snip["videoId"],
                    "language": snip["language"],
                    "name": snip["name"],
                    "trackKind": "standard",
                },
            }
        else:
            cid = resource.get("id")
            if cid not in self.tracks:
                raise youtube_error(404, "captionNotFound", "The caption track could not be found.")
        self.tracks[cid]["snippet"]["lastUpdated"] = self.stamp()
        self.track_bodies[cid] = media
        return self.tracks[cid]

    def edit_track(self, cid: str, body: bytes) -> None:
        """A person replaces the track in YouTube Studio."""
        with self.server.lock:
            self.track_bodies[cid] = body
            self.tracks[cid]["snippet"]["lastUpdated"] = self.stamp()


# -- Buzzsprout -------------------------------------------------------------------------------


class Buzzsprout:
    def __init__(self, podcast: str, episodes: list[dict[str, Any]], token: str = "bz-token"):
        self.podcast, self.token = podcast, token
        self.episodes = {str(e["id"]): e for e in episodes}
        self.transcripts: dict[str, bytes] = {}
        self.chapters: dict[str, list[dict[str, Any]]] = {}
        self.server = Double(self.route)

    def route(self, r: Request) -> Any:
        if r.headers.get("Authorization") != f"Token token={self.token}":
            raise Answer(401, {"error": "Access denied"})
        if not r.headers.get("User-Agent", "").strip():
            raise Answer(400, {"error": "a descriptive User-Agent is required"})
        prefix = f"/api/{self.podcast}/"
        if not r.path.startswith(prefix):
            raise Answer(404, {"error": "Not found"})
        rest = r.path[len(prefix) :].split("/")
        if rest == ["episodes.json"] and r.method == "GET":
            return list(self.episodes.values())
        if len(rest) != 3 or rest[0] != "episodes" or rest[1] not in self.episodes:
            raise Answer(404, {"error": "Not found"})
        eid, kind = rest[1], rest[2]
        if kind == "transcript":
            if r.method == "GET":
                if eid not in self.transcripts:
                    raise Answer(404, {"error": "Not found"})
                return self.transcripts[eid]
            form = {h.get("Content-Disposition", ""): body for h, body in r.parts()}
            fmt = next((b.decode() for d, b in form.items() if 'name="transcript_format"' in d), "")
            file = next((b for d, b in form.items() if 'name="transcript_file"' in d), b"")
            if fmt not in ("srt", "json") or not file:
                raise Answer(
                    422, {"error": "transcript_file and transcript_format (srt, json) are required"}
                )
            self.transcripts[eid] = file
            return {"status": "ok"}
        if kind == "chapters":
            if r.method == "GET":
                if eid not in self.chapters:
                    raise Answer(404, {"error": "Not found"})
                return {"chapters": self.chapters[eid]}
            rows = (r.json() or {}).get("chapters")
            if not isinstance(rows, list) or not all(
                "title" in c and "start_time" in c for c in rows
            ):
                raise Answer(422, {"error": "each chapter needs title and start_time"})
            self.chapters[eid] = rows
            return {"chapters": rows}
        raise Answer(404, {"error": "Not found"})


# -- Transistor -------------------------------------------------------------------------------


class Transistor:
    def __init__(
        self,
        show_id: str,
        episodes: list[dict[str, Any]],
        key: str = "tr-key",
        limit: int = 10,
        window: float = 10.0,
    ):
        self.show_id, self.key, self.limit, self.window = show_id, key, limit, window
        self.episodes = {str(e["id"]): e for e in episodes}
        self.times: list[float] = []
        self.over_limit = 0
        self.server = Double(self.route)

    def route(self, r: Request) -> Any:
        now = time.monotonic()
        self.times = [t for t in self.times if now - t < self.window]
        if len(self.times) >= self.limit:
            self.over_limit += 1
            raise Answer(429, {"errors": [{"title": "Too Many Requests"}]}, {"Retry-After": "1"})
        self.times.append(now)
        if r.headers.get("x-api-key") != self.key:
            raise Answer(401, {"errors": [{"title": "Unauthorized"}]})
        parts = r.path.strip("/").split("/")
        if parts == ["v1", "episodes"] and r.method == "GET":
            if r.arg("show_id") != self.show_id:
                raise Answer(404, {"errors": [{"title": "Show not found"}]})
            page, per = int(r.arg("pagination[page]") or 1), int(r.arg("pagination[per]") or 10)
            items = list(self.episodes.values())
            pages = max(1, -(-len(items) // per))
            chunk = items[(page - 1) * per : page * per]
            return {
                "data": [self._resource(e) for e in chunk],
                "meta": {"currentPage": page, "totalPages": pages},
            }
        if len(parts) == 3 and parts[:2] == ["v1", "episodes"] and parts[2] in self.episodes:
            episode = self.episodes[parts[2]]
            if r.method == "PATCH":
                fields = (r.json() or {}).get("episode")
                if not isinstance(fields, dict) or "transcript_text" not in fields:
                    raise Answer(
                        422, {"errors": [{"title": "episode[transcript_text] is required"}]}
                    )
                episode["transcript_text"] = fields["transcript_text"]
            return {"data": self._resource(episode)}
        raise Answer(404, {"errors": [{"title": "Not found"}]})

    @staticmethod
    def _resource(e: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(e["id"]),
            "type": "episode",
            "attributes": {k: v for k, v in e.items() if k != "id"},
        }


# -- the built show the uploads read -----------------------------------------------------------


def rewrite_in_dist(dist: Path, path: Path, data: bytes) -> None:
    """``path`` with new bytes, and the manifest's hash of it, as a new build leaves them."""
    path.write_bytes(data)
    manifest = json.loads((dist / "manifest.json").read_text())
    rel = path.relative_to(dist).as_posix()
    for entry in manifest["files"]:
        if entry["path"] == rel:
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
    (dist / "manifest.json").write_text(json.dumps(manifest))
