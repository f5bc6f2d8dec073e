"""The link checker against servers that break HTTP in the ways real ones do.

A raw-socket server on 127.0.0.1 answers each path with exactly the bytes given: HEAD answered
wrongly (nothing, a hang, an error, a body that corrupts the kept-alive connection), HTTP/1.0
and other old or odd answers, malformed ones, every kind of redirect, cookies, resets. Each
link must end in the status a maintainer can act on, with no false "broken".
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time

import pytest

from feedgen_pod.linkcheck import Engine, Link, Source, Status, from_config

OK_BODY = b"<html>ok</html>"


def _answer(code: int, headers: tuple[tuple[bytes, bytes], ...] = (), body: bytes = b"") -> bytes:
    head = b"HTTP/1.1 %d X\r\n" % code + b"".join(k + b": " + v + b"\r\n" for k, v in headers)
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body


class _Faulty(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock = self.request
        sock.settimeout(5)
        pending = b""
        try:
            while True:  # bounded by the client: it closes, or the 5 s timeout ends it
                while b"\r\n\r\n" not in pending:
                    chunk = sock.recv(65536)
                    if not chunk:
                        return
                    pending += chunk
                head, pending = pending.split(b"\r\n\r\n", 1)
                lines = head.split(b"\r\n")
                method, target = lines[0].split(b" ")[:2]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(b":") for line in lines[1:])
                }
                if not self.answer(sock, method == b"HEAD", target.decode("latin-1"), headers):
                    return
        except OSError:
            return

    def answer(self, sock: socket.socket, head: bool, target: str, headers: dict) -> bool:
        """Send the path's answer; False closes the connection."""
        path = target.split("?")[0]
        ok = b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n" + (b"" if head else OK_BODY)
        port = self.server.server_address[1]
        redirects = {
            "/rel-redirect": (301, b"ok"),
            "/dotdot": (302, b"x/../x/../ok"),
            "/proto-rel": (302, f"//127.0.0.1:{port}/ok".encode()),
            "/303": (303, b"/ok"),
            "/307": (307, b"/ok"),
            "/to-ftp": (301, b"ftp://example.org/x"),
        }
        if path in ("/ok", "/x/ok") or (path == "/frag" and "#" not in target):
            sock.sendall(ok)
        elif path == "/head-empty" and head:
            return False  # HEAD: the connection closed without a word
        elif path == "/head-hang" and head:
            time.sleep(2)
            return False
        elif path.startswith("/head-code-") and head:
            sock.sendall(_answer(int(path.rsplit("-", 1)[1])))
        elif path in ("/head-empty", "/head-hang") or path.startswith("/head-code-"):
            sock.sendall(ok)
        elif path == "/head-body":  # a body even for HEAD: the next answer on it is garbage
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n" + OK_BODY)
        elif path == "/http10":
            sock.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + (b"" if head else OK_BODY))
            return False
        elif path == "/no-reason":
            sock.sendall(b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n")
        elif path == "/continue":
            sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n" + ok)
        elif path == "/short-body":  # promises 1,000 bytes, sends 10 and closes
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"0" * 10)
            return False
        elif path == "/bad-status":
            sock.sendall(b"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n")
            return False
        elif path == "/garbage":
            sock.sendall(b"hello world\r\n\r\n")
            return False
        elif path in redirects:
            code, location = redirects[path]
            sock.sendall(_answer(code, ((b"Location", location),)))
        elif path == "/no-location":
            sock.sendall(_answer(301))
        elif path == "/cookie-loop":
            if b"s=1" in headers.get(b"cookie", b""):
                sock.sendall(ok)
            else:
                cookie = ((b"Location", b"/cookie-loop"), (b"Set-Cookie", b"s=1; Path=/"))
                sock.sendall(_answer(302, cookie))
        elif path == "/reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
            return False
        elif path.startswith("/code-"):
            sock.sendall(_answer(int(path.rsplit("-", 1)[1]), body=b"" if head else b"x"))
        elif path == "/head405-get404":
            sock.sendall(_answer(405 if head else 404))
        else:
            sock.sendall(_answer(404))
        return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


CASES = {
    "/ok": Status.OK,
    "/head-empty": Status.OK,
    "/head-hang": Status.OK,
    "/head-code-400": Status.OK,
    "/head-code-403": Status.OK,
    "/head-code-500": Status.OK,
    "/head-code-501": Status.OK,
    "/head-body?i=1": Status.OK,
    "/head-body?i=2": Status.OK,
    "/head-body?i=3": Status.OK,
    "/http10": Status.OK,
    "/no-reason": Status.OK,
    "/continue": Status.OK,
    "/short-body": Status.OK,
    "/code-204": Status.OK,
    "/frag#section": Status.OK,
    "/rel-redirect": Status.REDIRECTED,
    "/dotdot": Status.OK,
    "/proto-rel": Status.OK,
    "/303": Status.OK,
    "/307": Status.OK,
    "/cookie-loop": Status.OK,
    "/code-401": Status.UNVERIFIABLE,
    "/code-406": Status.UNVERIFIABLE,
    "/bad-status": Status.BROKEN,
    "/garbage": Status.BROKEN,
    "/no-location": Status.BROKEN,
    "/to-ftp": Status.BROKEN,
    "/reset": Status.BROKEN,
    "/code-410": Status.BROKEN,
    "/code-451": Status.BROKEN,
    "/head405-get404": Status.BROKEN,
}


@pytest.fixture(scope="module")
def results():
    server = _Server(("127.0.0.1", 0), _Faulty)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings = from_config(
        {
            "timeout": 0.5,
            "deadline": 1.5,
            "retries": 1,
            "backoff": 0.05,
            "allow_private_hosts": [f"127.0.0.1:{server.server_address[1]}"],
        }
    )
    links = [
        Link(base + path, (Source("episodes/faults.md", n, "notes"),))
        for n, path in enumerate(CASES, start=1)
    ]
    try:
        yield {r.url[len(base) :]: r for r in Engine(settings).run(links)}
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", list(CASES))
def test_each_fault_ends_in_the_status_to_act_on(results, path: str) -> None:
    result = results[path]
    assert result.status is CASES[path], (result.status, result.detail)
    if result.status is not Status.OK:
        assert result.detail  # every problem says why


def test_a_redirect_says_where_to(results) -> None:
    assert results["/rel-redirect"].final_url.endswith("/ok")
    assert "Location" in results["/no-location"].detail
