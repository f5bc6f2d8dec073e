"""Real HTTP servers on 127.0.0.1 for the link checker's tests: one per port, many behaviours.

Each path is a behaviour (``/ok``, ``/404``, ``/loop-a``...); every request is counted so a
test can prove that no traffic was sent somewhere. Never binds outside 127.0.0.1.
"""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
from collections import Counter
from email.utils import formatdate
from urllib.parse import parse_qs, urlsplit


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 with no access log; GET and HEAD go to ``_route``, answers through ``_send``."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._route()

    def do_GET(self) -> None:
        self._route()

    def _route(self) -> None:
        raise NotImplementedError


class _Handler(QuietHandler):
    server: _Server

    def _route(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        srv = self.server
        with srv.lock:
            srv.hits[path] += 1
            srv.log.append((time.monotonic(), self.command, path))
            srv.clients.add(self.client_address[1])
            count = srv.hits[path]
        base = f"http://127.0.0.1:{srv.server_port}"
        if srv.head_404 and self.command == "HEAD":
            self._send(404)  # a server whose HEAD route is missing: every HEAD is 404
        elif path == "/ok" or path == "/":
            self._send(200, b"<html>fine</html>", {"Content-Type": "text/html"})
        elif path == "/ok-then-close":  # keep-alive promised, then the socket is closed
            self._send(200, b"<html>fine</html>", {"Content-Type": "text/html"})
            self.close_connection = True
        elif path in ("/404", "/410"):
            self._send(int(path[1:]), b"gone")
        elif path == "/r301":
            self._send(301, headers={"Location": f"http://127.0.0.1:{srv.peer}/r308"})
        elif path == "/r308":
            self._send(308, headers={"Location": "/ok"})
        elif path == "/cookie-loop":  # a first visit gets a session cookie and comes back
            if "session=1" in (self.headers.get("Cookie") or ""):
                self._send(200, b"<html>fine</html>", {"Content-Type": "text/html"})
            else:
                headers = {"Location": "/cookie-loop", "Set-Cookie": "session=1; Path=/"}
                self._send(302, headers=headers)
        elif path == "/no-location":
            self._send(301)
        elif path == "/406":
            self._send(406, b"not acceptable")
        elif path == "/r302":
            self._send(302, headers={"Location": "/ok"})
        elif path in ("/loop-a", "/loop-b"):
            other = "/loop-b" if path == "/loop-a" else "/loop-a"
            self._send(302, headers={"Location": base + other})
        elif path == "/endless-redirect":
            n = int(query.get("n", ["0"])[0])
            self._send(302, headers={"Location": f"/endless-redirect?n={n + 1}"})
        elif path == "/to":
            self._send(302, headers={"Location": query["url"][0]})
        elif path == "/429":
            if count % 2 == 1:
                self._send(429, headers={"Retry-After": "1"})
            else:
                self._send(200)
        elif path == "/429-date":
            if count % 2 == 1:
                self._send(429, headers={"Retry-After": formatdate(time.time() + 1, usegmt=True)})
            else:
                self._send(200)
        elif path == "/429-always":
            self._send(429, headers={"Retry-After": "0"})
        elif path == "/503-once":
            self._send(503 if count == 1 else 200)
        elif path == "/hang":
            srv.release.wait(10)
            self._send(200)
        elif path == "/head405":
            self._send(405 if self.command == "HEAD" else 200)
        elif path == "/999":
            self._send(999, b"request denied")
        elif path == "/403-wall":
            self._send(403, b"<title>Just a moment...</title>", {"cf-mitigated": "challenge"})
        elif path == "/watch":
            self._send(200, b"<html>video page</html>")
        elif path == "/oembed":
            url = query.get("url", [""])[0]
            code = 404 if "GONE" in url else 401 if "PRIV" in url else 200
            self._send(code, b'{"title": "x"}', {"Content-Type": "application/json"})
        elif path.startswith("/vi/") and path.endswith("/0.jpg"):  # a video's thumbnail
            if "GONE" in path:
                self._send(404, b"not found")
            else:
                self._send(200, b"\xff\xd8\xff\xe0 a thumbnail", {"Content-Type": "image/jpeg"})
        elif path == "/endless-body":
            if self.command == "HEAD":
                self._send(405)
                return
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(100000):  # bounded: 6 GB if the client never stops
                    self.wfile.write(chunk)
                    srv.sent[path] += len(chunk)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/huge-header":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
            self.close_connection = True
        elif path == "/many-headers":
            head = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(5000))
            self.wfile.write(head + b"\r\n")
            self.close_connection = True
        elif path == "/gzip-bomb":
            if self.command == "HEAD":
                self._send(405)
                return
            self._send(200, srv.bomb, {"Content-Encoding": "gzip", "Content-Type": "text/html"})
        elif path == "/drip":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            try:
                for _ in range(200):  # bounded: 40 s if the client never gives up
                    if srv.release.wait(0.2):
                        break
                    self.wfile.write(b"X")
                    self.wfile.flush()
            except OSError:
                pass
            self.close_connection = True
        else:
            self._send(404, b"no such route")


_BOMB: list[bytes] = []


def _bomb() -> bytes:
    """50 MB of zeros as about 50 KB of gzip."""
    if not _BOMB:
        _BOMB.append(gzip.compress(b"\0" * 50_000_000, compresslevel=9))
    return _BOMB[0]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    peer: int = 0
    #: answer every HEAD with 404 (GET as usual), like a server that does not route HEAD
    head_404: bool = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up on hostile answers are the point of these tests

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.log: list[tuple[float, str, str]] = []
        #: client ports seen: one per connection the checker opened
        self.clients: set[int] = set()
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.bomb = _bomb()


class Servers:
    """``n`` servers on 127.0.0.1 (different ports stand for different hosts)."""

    def __init__(self, n: int):
        self.servers = [_Server() for _ in range(n)]
        for i, srv in enumerate(self.servers):
            srv.peer = self.servers[(i + 1) % n].server_port
        self.threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            for s in self.servers
        ]
        for thread in self.threads:
            thread.start()

    def port(self, i: int) -> int:
        return self.servers[i].server_port

    def url(self, i: int, path: str) -> str:
        return f"http://127.0.0.1:{self.port(i)}{path}"

    def close(self) -> None:
        for srv in self.servers:
            srv.release.set()
            srv.shutdown()
            srv.server_close()


def free_port() -> int:
    """A port nothing listens on (for 'connection refused')."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
