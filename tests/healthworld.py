"""A small internet on loopback for link health: each site its own 127.x address, its name
pinned with the checker's ``links.resolve`` and allowed with ``links.allow_private_hosts``.

- ``dead.example``: a page that is gone (404), and a longer URL beside it that is fine
- ``www.linkedin.com``: answers every checker 999, as LinkedIn does
- ``shop.example``: a Cloudflare-like challenge (403, ``cf-mitigated: challenge``)
- ``flaky.example``: fine, or 404 while ``down`` is set (a bad night)
- ``github.com``: pages answering 429 or 404; ``api.github.test``: a GitHub-like REST API
- ``web.archive.test``: a Wayback-like CDX API (``/cdx/search/cdx``) with captures by URL

Every request is logged with its arrival time and headers, so a test can prove where a token
went and how fast the archive was asked. Nothing binds outside 127.0.0.0/8.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

from linkserver import QuietHandler

SITES = {
    "dead.example": "127.0.0.2",
    "www.linkedin.com": "127.0.0.3",
    "shop.example": "127.0.0.4",
    "flaky.example": "127.0.0.5",
    "github.com": "127.0.0.6",
    "api.github.test": "127.0.0.7",
    "web.archive.test": "127.0.0.8",
}
TOKEN = "t0ken-for-the-api-only"
#: the GitHub-like API: path → (status, body)
API = {
    "/repos/octo/hello": (200, {"full_name": "octo/hello", "private": False}),
    "/repos/octo/secret": (200, {"full_name": "octo/secret", "private": True}),
}


class _Handler(QuietHandler):
    server: _Site

    def _route(self) -> None:
        world, name = self.server.world, self.server.name
        parts = urlsplit(self.path)
        with world.lock:
            world.log.append((time.monotonic(), name, self.command, self.path, dict(self.headers)))
        html = {"Content-Type": "text/html"}
        if name == "dead.example":
            if parts.path == "/post":
                self._send(404, b"<html>gone</html>", html)
            elif parts.path.startswith("/gone-"):
                self._send(410, b"<html>gone</html>", html)
            else:
                self._send(200, b"<html>a page</html>", html)
        elif name == "www.linkedin.com":
            self._send(999, b"request denied", html)
        elif name == "shop.example":
            body = b"<html><title>Just a moment...</title></html>"
            self._send(403, body, {**html, "cf-mitigated": "challenge", "Server": "cloudflare"})
        elif name == "flaky.example":
            if world.down.is_set():
                self._send(404, b"<html>not found</html>", html)
            else:
                self._send(200, b"<html>back again</html>", html)
        elif name == "github.com":
            if parts.path == "/octo/hello":
                self._send(429, b"slow down", {"Retry-After": "0"})
            else:
                self._send(404, b"<html>not found</html>", html)
        elif name == "api.github.test":
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, b'{"message": "Bad credentials"}')
                return
            code, doc = API.get(parts.path, (404, {"message": "Not Found"}))
            self._send(code, json.dumps(doc).encode(), {"Content-Type": "application/json"})
        elif name == "web.archive.test":
            self._archive(parts.path, parse_qs(parts.query))
        else:
            self._send(404)

    def _archive(self, path: str, query: dict[str, list[str]]) -> None:
        world = self.server.world
        if path.startswith("/web/"):
            self._send(200, b"<html>an archived page</html>", {"Content-Type": "text/html"})
            return
        if path != "/cdx/search/cdx" or query.get("output") != ["json"]:
            self._send(400, b"bad request")
            return
        filters = set(query.get("filter", []))
        if not {"statuscode:200", "mimetype:text/html"} <= filters:
            self._send(400, b"the checker must ask for HTML captures that were a 200")
            return
        start = query.get("from", ["0"])[0]
        end = query.get("to", ["99999999"])[0]
        url = query["url"][0]
        rows = [["timestamp", "original", "mimetype", "statuscode", "length"]]
        for stamp, length in world.captures.get(url, []):
            if start <= stamp[:8] <= end + "999999":
                rows.append([stamp, url, "text/html", "200", str(length)])
        body = json.dumps(rows if len(rows) > 1 else []).encode()
        self._send(200, body, {"Content-Type": "application/json"})


class _Site(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, world: World, name: str, address: str):
        super().__init__((address, 0), _Handler)
        self.world = world
        self.name = name


class World:
    """Every site of ``SITES`` serving on its own address."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        #: (arrival, site, method, path, headers) of every request
        self.log: list[tuple[float, str, str, str, dict[str, str]]] = []
        self.down = threading.Event()
        #: the archive's captures: URL → [(timestamp, length)]
        self.captures: dict[str, list[tuple[str, int]]] = {}
        self.sites = {name: _Site(self, name, address) for name, address in SITES.items()}
        for site in self.sites.values():
            threading.Thread(
                target=site.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            ).start()

    def port(self, name: str) -> int:
        return self.sites[name].server_port

    def url(self, name: str, path: str) -> str:
        return f"http://{name}:{self.port(name)}{path}"

    def requests(self, name: str) -> list[tuple[float, str, str, dict[str, str]]]:
        with self.lock:
            return [(t, m, p, h) for t, n, m, p, h in self.log if n == name]

    def config(self, exclude: tuple[str, ...] = ()) -> str:
        """The ``links:`` settings that reach this world and nothing else (``exclude``: more
        patterns of URLs not to check)."""
        patterns = ", ".join(f"'{p}'" for p in ("datatalks\\.club", *exclude))
        lines = [
            "links:",
            "  timeout: 2",
            "  deadline: 5",
            "  retries: 0",
            f"  exclude: [{patterns}]",
            f"  github_api: http://api.github.test:{self.port('api.github.test')}",
            f"  archive_api: http://web.archive.test:{self.port('web.archive.test')}",
            "  resolve:",
            *[f"    {name}: {address}" for name, address in SITES.items()],
            "  allow_private_hosts:",
            *[f"    - '{name}:{self.port(name)}'" for name in SITES],
        ]
        return "\n".join(lines) + "\n"

    def close(self) -> None:
        for site in self.sites.values():
            site.shutdown()
            site.server_close()
