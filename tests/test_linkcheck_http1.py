"""The checker's HTTP/1.1 reader judges every answer as ``http.client`` does: the same status,
headers, body (up to the cap), reuse of the connection, or the same kind of error."""

from __future__ import annotations

import http.client
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedgen_pod.linkcheck import http1

_NAMES = ("location", "retry-after", "cf-mitigated", "connection", "content-length", "x-a", "")


class _Sock:
    """The answer's bytes, handed out a few at a time as a socket would."""

    def __init__(self, data: bytes, step: int):
        self.data, self.step, self.sent = data, step, b""

    def recv(self, n: int) -> bytes:
        out, self.data = self.data[: min(n, self.step)], self.data[min(n, self.step) :]
        return out

    def sendall(self, data: bytes) -> None:
        self.sent += data

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(io.BytesIO(self.data))  # type: ignore[arg-type]

    def close(self) -> None:
        pass


def _stdlib(data: bytes, method: str, cap: int):
    response = http.client.HTTPResponse(_Sock(data, 1), method=method)  # type: ignore[arg-type]
    try:
        response.begin()
        body = response.read(cap if method != "HEAD" else None) or b""
    except http.client.RemoteDisconnected:
        return "no answer"
    except http.client.IncompleteRead:
        return "cut short"
    except http.client.HTTPException:
        return "bad answer"
    keep = response.isclosed() and not response.will_close
    return response.status, _view(response.headers), body, keep


def _ours(data: bytes, method: str, cap: int, step: int):
    conn = http1.Connection("h.example", 80, 80, 5, lambda *a: _Sock(data, step))  # type: ignore[arg-type,return-value]
    conn.request(method, "/", {})
    try:
        status, headers, body, keep = conn.response(method, cap)
    except http1.NoAnswer:
        return "no answer"
    except http1.CutShort:
        return "cut short"
    except http1.BadAnswer:
        return "bad answer"
    return status, _view(headers), body, keep


def _view(headers) -> tuple:
    return tuple(
        (name, headers.get(name), name in headers, headers.get_all(name)) for name in _NAMES
    )


_STATUS = st.sampled_from(
    [
        b"HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 404 Not Found\r\n",
        b"HTTP/1.0 200 OK\r\n",
        b"HTTP/1.1 204 No Content\r\n",
        b"HTTP/1.1 304\r\n",
        b"HTTP/1.1 301 Moved\n",
        b"HTTP/1.1 103 Early Hints\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\nHTTP/1.1 302 Found\r\n",
        b"HTTP/0.9 200 OK\r\n",
        b"HTTP/2 200\r\n",
        b"HTTP/1.1 99 Low\r\n",
        b"HTTP/1.1 1000 High\r\n",
        b"HTTP/1.1 +200 Plus\r\n",
        b"HTTP/1.1\r\n",
        b"ICY 200 OK\r\n",
        b"",
        b"\r\n",
        b"HTTP/1.1 200 OK",
    ]
)
_HEADER = st.sampled_from(
    [
        b"Content-Length: 5\r\n",
        b"Content-Length: 0\r\n",
        b"Content-Length: 40\r\n",
        b"Content-Length: -1\r\n",
        b"Content-Length: x\r\n",
        b"content-length:  3 \r\n",
        b"Transfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: gzip, chunked\r\n",
        b"Connection: close\r\n",
        b"Connection: keep-alive\r\n",
        b"Keep-Alive: timeout=5\r\n",
        b"Proxy-Connection: Keep-Alive\r\n",
        b"Location: /next\r\n",
        b"LOCATION:\t/other \r\n",
        b"  /folded\r\n",
        b"\tmore\r\n",
        b"Retry-After: 3\r\n",
        b"cf-mitigated: challenge\r\n",
        b"X-A: 1\r\n",
        b"X-A: 2\r\n",
        b"X-A: \xe9\r\n",
        b"From me\r\n",
        b": no name\r\n",
        b"Bad Header: x\r\n",
        b"no colon\r\n",
        b"X-A: a\rX-B: b\r\n",
        b"X-A: b\n",
        b"Set-Cookie: a=1\r\n",
    ]
)
_END = st.sampled_from([b"\r\n", b"\n", b""])
_BODY = st.sampled_from(
    [
        b"",
        b"hello",
        b"hello world, a longer body than the cap is",
        b"5\r\nhello\r\n0\r\n\r\n",
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n",
        b"5\r\nhello\r\n",
        b"5\r\nhel",
        b"zz\r\nhello\r\n0\r\n\r\n",
        b"-1\r\nhello\r\n0\r\n\r\n",
        b"0\r\n",
        b"0x5\r\nhello\r\n0\r\n\r\n",
        b"3\r\nabcXY1\r\nd\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n\r\n",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(
    _STATUS,
    st.lists(_HEADER, max_size=6),
    _END,
    _BODY,
    st.sampled_from(["GET", "HEAD"]),
    st.sampled_from([1, 4, 8, 65536]),
    st.sampled_from([1, 3, 65536]),
)
@example(b"HTTP/1.1 200 OK\r\n", [b"Content-Length: 5\r\n"], b"\r\n", b"", "GET", 65536, 1)
def test_answers_read_as_http_client_reads_them(status, headers, end, body, method, cap, step):
    data = status + b"".join(headers) + end + body
    assert _ours(data, method, cap, step) == _stdlib(data, method, cap), data


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\r\n" + b"X-A: " + b"a" * 70_000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK" + b"a" * 70_000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 100 + b"\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 99 + b"\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"1" * 70_000 + b"\r\n",
    ],
)
def test_limits_as_http_client(data):
    assert _ours(data, "GET", 100, 4096) == _stdlib(data, "GET", 100)


def test_request_as_http_client_writes_it():
    for host, port, default in (("h.example", 80, 80), ("h.example", 8080, 80), ("::1", 443, 443)):
        ours = _Sock(b"", 1)
        conn = http1.Connection(host, port, default, 5, lambda *a, s=ours: s)  # type: ignore[misc]
        conn.request("HEAD", "/a?b=c", {"User-Agent": "ua", "Accept-Encoding": "identity"})
        theirs = _Sock(b"", 1)
        std = http.client.HTTPConnection(host, port)
        std.default_port = default
        std.sock = theirs  # type: ignore[assignment]
        std.request("HEAD", "/a?b=c", headers={"User-Agent": "ua", "Accept-Encoding": "identity"})
        assert ours.sent == theirs.sent
    with pytest.raises(ValueError, match="control characters"):
        http1.Connection("a b", 80, 80, 5, lambda *a: None)  # type: ignore[arg-type,return-value]
    conn = http1.Connection("h.example", 80, 80, 5, lambda *a: _Sock(b"", 1))  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="Invalid header value"):
        conn.request("GET", "/", {"User-Agent": "a\nb"})
