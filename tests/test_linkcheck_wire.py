"""What the checker sends and where, seen by raw-socket servers on 127.0.0.0/8: the request it
writes, the addresses it connects to (the vetted ones, even when DNS answers change), cookies
on later hops, proxy variables ignored, URLs that cannot be sent refused without a request."""

from __future__ import annotations

import socket
import socketserver
import threading

import pytest

from feedgen_pod.linkcheck import Engine, Link, Source, Status, from_config
from feedgen_pod.net import address

SRC = (Source("episodes/x.md", 3, "notes"),)
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


class _Recorder(socketserver.BaseRequestHandler):
    """Keeps each request's head; answers 200, or what ``answers`` holds for the path."""

    def handle(self) -> None:
        sock = self.request
        sock.settimeout(5)
        pending = b""
        while True:  # bounded by the client closing, or the 5 s timeout
            try:
                while b"\r\n\r\n" not in pending:
                    chunk = sock.recv(65536)
                    if not chunk:
                        return
                    pending += chunk
            except OSError:
                return
            head, pending = pending.split(b"\r\n\r\n", 1)
            self.server.heads.append(head)  # type: ignore[attr-defined]
            path = head.split(b" ")[1].decode("latin-1")
            head_only = head.startswith(b"HEAD ")
            answer = self.server.answers.get(path.split("?")[0])  # type: ignore[attr-defined]
            sock.sendall(answer or (OK[:-2] if head_only else OK))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: str = "127.0.0.1"):
        super().__init__((address, 0), _Recorder)
        self.heads: list[bytes] = []
        self.answers: dict[str, object] = {}
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


@pytest.fixture
def server():
    srv = _Server()
    yield srv
    srv.stop()


def _run(urls: list[str], **links):
    settings = from_config({"timeout": 2, "retries": 0, **links})
    return Engine(settings).run([Link(u, SRC) for u in urls])


def test_the_request_is_a_plain_http11_head_with_our_headers(server):
    url = f"http://127.0.0.1:{server.port}/a b/caf\u00e9?q=x y#frag"
    (result,) = _run([url], allow_private_hosts=[f"127.0.0.1:{server.port}"])
    assert result.status is Status.OK
    (head,) = server.heads
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HEAD /a%20b/caf%C3%A9?q=x%20y HTTP/1.1"  # no fragment, escaped
    fields = dict(line.split(": ", 1) for line in lines[1:])
    assert fields["Host"] == f"127.0.0.1:{server.port}"
    assert fields["Accept-Encoding"] == "identity"  # bodies are never decompressed
    assert fields["User-Agent"].startswith("feedgen-pod-linkcheck/")
    assert "Cookie" not in fields


def test_control_characters_never_reach_the_wire(server):
    """A host name with one is an invalid URL (no request); in a path it is %-escaped, so no
    header can be smuggled into the request."""
    port = server.port
    (bad_host,) = _run([f"http://a\nb.example:{port}/"], allow_private=True)
    assert bad_host.status is Status.BROKEN and "invalid URL" in bad_host.detail
    assert server.heads == []
    results = _run(
        [f"http://127.0.0.1:{port}/a\r\nX-Injected: 1", f"http://127.0.0.1:{port}/a\x00b"],
        allow_private=True,
    )
    assert [r.status for r in results] == [Status.OK, Status.OK]
    targets = sorted(head.split(b"\r\n")[0] for head in server.heads)
    assert targets == [b"HEAD /a%00b HTTP/1.1", b"HEAD /a%0D%0AX-Injected:%201 HTTP/1.1"]


def test_answers_beyond_http_clients_limits_are_invalid(server):
    port = server.port
    server.answers = {
        "/long-line": b"HTTP/1.1 200 OK\r\nX-A: " + b"a" * 70_000 + b"\r\n\r\n",
        "/101-headers": b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n",
        "/99-headers": b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 98 + b"Content-Length: 0\r\n\r\n",
        "/bad-status": b"HTTP/1.1 2x0 OK\r\n\r\n",
    }
    urls = [f"http://127.0.0.1:{port}{p}" for p in server.answers]
    results = {r.url.rsplit("/", 1)[1]: r for r in _run(urls, allow_private=True)}
    for name in ("long-line", "101-headers", "bad-status"):
        assert results[name].status is Status.BROKEN, name
        assert "invalid HTTP answer" in results[name].detail, results[name].detail
    assert results["99-headers"].status is Status.OK


def test_cookies_go_back_to_their_host_only(server):
    """A cookie set on the way is sent on the next hop to its host, never to another site."""
    port = server.port
    other = _Server("127.0.0.2")
    try:
        server.answers = {
            "/set": (
                b"HTTP/1.1 302 Found\r\nSet-Cookie: s=1; Path=/\r\n"
                b"Set-Cookie: t=2; Domain=elsewhere.example\r\n"
                b"Location: /back\r\nContent-Length: 0\r\n\r\n"
            ),
            "/back": (
                b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:%d/there\r\n"
                b"Content-Length: 0\r\n\r\n" % other.port
            ),
        }
        (result,) = _run([f"http://127.0.0.1:{port}/set"], allow_private=True)
        assert result.status is Status.OK, result.detail
        back = [h for h in server.heads if b" /back " in h]
        assert back and all(b"\r\nCookie: s=1" in h and b"t=2" not in h for h in back)
        assert other.heads and not any(b"Cookie" in h for h in other.heads)
    finally:
        other.stop()


def test_proxy_variables_are_ignored(server, monkeypatch):
    proxy = _Server("127.0.0.3")
    try:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY"):
            monkeypatch.setenv(name, f"http://127.0.0.3:{proxy.port}")
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        (result,) = _run([f"http://127.0.0.1:{server.port}/ok"], allow_private=True)
        assert result.status is Status.OK
        assert server.heads and not proxy.heads
    finally:
        proxy.stop()


def test_the_socket_connects_to_the_address_vetted_not_a_later_dns_answer(server, monkeypatch):
    """DNS rebinding: the name is resolved once per connection, by the check, and the socket
    connects to that answer; a resolver that answers differently the next time (here: a
    private address the check would refuse) is never asked again for that connection."""
    other = _Server("127.0.0.4")
    answers = iter(["127.0.0.1", "127.0.0.4", "127.0.0.4", "127.0.0.4"])
    asked: list[str] = []

    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host[:1].isdigit():  # an address, as the socket layer passes it: no name server
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = next(answers)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    # 127.0.0.1 stands for a public address here; 127.0.0.4 stays private
    monkeypatch.setattr(address, "is_public", lambda ip: ip == "127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    try:
        (result,) = _run([f"http://rebind.example:{server.port}/ok"])
        assert result.status is Status.OK, result.detail
        assert asked == ["rebind.example"]
        assert len(server.heads) == 1 and not other.heads
        # the next connection gets the private answer, and is refused before connecting
        (result,) = _run([f"http://rebind.example:{other.port}/ok"])
        assert result.status is Status.BROKEN and "127.0.0.4" in result.detail
        assert not other.heads
    finally:
        other.stop()
