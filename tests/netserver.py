"""A loopback HTTP server that misbehaves on purpose, written at the socket level so it can
send what no well-behaved server library would: headers a byte a second, a body cut short, a
bad chunk size, a gzip body that is not gzip, a stall after the headers, raw UTF-8 in a
``Location``, control bytes and terminal escapes, an unreadable ``Retry-After``.

Each path is a behaviour (``ROUTES``); every request is counted per path. Binds 127.x only;
every slow behaviour is bounded in time and ends when the server closes.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
import zlib
from collections import Counter
from urllib.parse import parse_qs, unquote, urlsplit

#: seconds a slow behaviour goes on at most (the client's deadline must end it well before)
SLOW_FOR = 20.0
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title>'
    b"<item><title>One</title><guid>g1</guid>"
    b'<enclosure url="https://cdn.example.com/1.mp3" length="10" type="audio/mpeg"/>'
    b"</item></channel></rss>"
)


def head(status: str, headers: dict[str, str] | None = None, length: int | None = 0) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class _Handler(socketserver.BaseRequestHandler):
    server: NetServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(SLOW_FOR)
        data = b""
        try:
            while True:
                while b"\r\n\r\n" not in data:
                    more = sock.recv(65536)
                    if not more or len(data) > 1_000_000:
                        return
                    data += more
                raw_head, _, data = data.partition(b"\r\n\r\n")
                lines = raw_head.decode("latin-1").split("\r\n")
                method, target = lines[0].split(" ")[:2]
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                while len(data) < length:
                    more = sock.recv(65536)
                    if not more:
                        return
                    data += more
                body, data = data[:length], data[length:]
                path = urlsplit(target).path
                with self.server.lock:
                    self.server.hits[unquote(path)] += 1
                    self.server.requests.append((method, target, headers, body))
                    count = self.server.hits[unquote(path)]
                keep = self.server.route(self, sock, method, target, headers, body, count)
                if not keep:
                    return
        except OSError:
            return

    def slow(self, sock: socket.socket, data: bytes, every: float) -> None:
        """``data`` a byte at a time, ``every`` seconds apart, until the server stops."""
        for byte in data:
            if self.server.stop.wait(every):
                return
            sock.sendall(bytes([byte]))


class NetServer(socketserver.ThreadingTCPServer):
    """``with NetServer() as srv: srv.url("/ok")``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1"):
        super().__init__((host, 0), _Handler)
        self.host = host
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up on a hostile answer is the point

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def __enter__(self) -> NetServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.shutdown()
        self.server_close()

    def route(
        self,
        handler: _Handler,
        sock: socket.socket,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes,
        count: int,
    ) -> bool:
        """Answer one request; True to keep the connection for the next."""
        parts = urlsplit(target)
        path, query = unquote(parts.path), parse_qs(parts.query)
        send = sock.sendall
        nobody = method == "HEAD"

        def answer(status: str, content: bytes = b"", extra: dict[str, str] | None = None):
            send(head(status, extra, len(content)) + (b"" if nobody else content))
            return True

        if path in ("/ok", "/"):
            return answer("200 OK", b"hello", {"Content-Type": "text/plain"})
        if path == "/feed.xml":
            return answer("200 OK", FEED, {"Content-Type": "application/rss+xml"})
        if path == "/café":
            return answer("200 OK", b"cafe", {"Content-Type": "text/plain"})
        if path == "/404":
            return answer("404 Not Found", b"gone")
        if path == "/echo":  # the request's headers and body, as JSON-ish text
            text = "\n".join(f"{k}: {v}" for k, v in headers.items()) + "\n\n"
            return answer("200 OK", text.encode("latin-1") + body, {"X-Method": method})
        if path == "/trickle-headers":  # a byte a second: never a socket timeout
            handler.slow(sock, head("200 OK", {"Content-Type": "text/xml"}, 5) + b"hello", 1.0)
            return False
        if path == "/trickle-body":
            send(head("200 OK", {"Content-Type": "text/xml"}, 100_000))
            handler.slow(sock, FEED * 1000, 0.2)
            return False
        if path == "/trickle-close":  # an answer that closes its connection, dripped
            send(head("200 OK", {"Connection": "close"}, 100_000))
            handler.slow(sock, FEED * 1000, 0.1)
            return False
        if path == "/truncated":
            send(head("200 OK", {"Content-Type": "text/xml"}, 10_000) + FEED[:100])
            return False
        if path == "/bad-chunk":
            send(
                head("200 OK", {"Transfer-Encoding": "chunked"}, None) + b"zz\r\nhello\r\n0\r\n\r\n"
            )
            return False
        if path == "/bad-gzip":
            junk = b"\x1f\x8b\x08\x00" + b"not gzip at all" * 20
            return answer("200 OK", junk, {"Content-Encoding": "gzip", "Content-Type": "text/xml"})
        if path == "/gzip-bomb":
            return answer("200 OK", _bomb(), {"Content-Encoding": "gzip"})
        if path == "/gzip-feed":
            return answer("200 OK", gzip.compress(FEED), {"Content-Encoding": "gzip"})
        if path == "/big":
            return answer("200 OK", b"x" * 2_000_000)
        if path == "/stall":  # the headers, then nothing
            send(head("200 OK", {"Content-Type": "text/xml"}, 1000))
            self.stop.wait(SLOW_FOR)
            return False
        if path == "/stall-before":  # nothing at all
            self.stop.wait(SLOW_FOR)
            return False
        if path == "/close":  # the connection closed without a word
            return False
        if path == "/garbage":
            send(b"SSH-2.0-OpenSSH_9.0\r\n\r\n")
            return False
        if path == "/to":  # ?url=...&status=302
            status = query.get("status", ["302"])[0]
            return answer(f"{status} Moved", b"", {"Location": query["url"][0]})
        if path == "/utf8-location":  # raw UTF-8 bytes in the header, as some servers send
            send(b"HTTP/1.1 301 Moved\r\nLocation: /caf\xc3\xa9\r\nContent-Length: 0\r\n\r\n")
            return True
        if path == "/retry-weird":  # 503 with Retry-After: ² (a byte no number is made of)
            if count % 2:
                send(b"HTTP/1.1 503 Busy\r\nRetry-After: \xb2\r\nContent-Length: 4\r\n\r\nbusy")
                return True
            return answer("200 OK", b"ok")
        if path == "/429-then-ok":
            if count % 2:
                return answer("429 Too Many", b"", {"Retry-After": "0"})
            return answer("200 OK", b"ok")
        if path == "/503-always":
            return answer("503 Service Unavailable", b"down", {"Retry-After": "0"})
        if path == "/500":
            return answer("500 Internal Server Error", b"internal secret: hunter2")
        if path == "/control":  # escapes, NUL and bell in the reason, a header and the body
            content = b"\x1b[31mred\x1b[0m\x00\x08\x07 body \x9b1m <&]]>"
            send(
                b"HTTP/1.1 500 Oops\x1b[2J\x07\r\nX-Note: a\x1b]0;pwned\x07b\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(content), content)
            )
            return True
        if path == "/control-404":
            send(b"HTTP/1.1 404 Gone\x1b[2J\x00\x01\r\nContent-Length: 8\r\n\r\n\x1b[31m\x00x\x01")
            return True
        return answer("404 Not Found", b"no such route")


_BOMB: list[bytes] = []


def _bomb() -> bytes:
    """50 MB of zeros as about 50 KB of gzip (made once, a megabyte at a time)."""
    if not _BOMB:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip format
        zeros = b"\0" * 1_000_000
        _BOMB.append(b"".join(packer.compress(zeros) for _ in range(50)) + packer.flush())
    return _BOMB[0]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on (for 'connection refused')."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
