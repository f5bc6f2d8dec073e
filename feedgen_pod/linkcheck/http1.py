"""HTTP/1.1 on a connection the checker opened: one request at a time, its answer read to a cap.

``http.client`` brings the email package and ``ssl`` at import (≈10 ms of every check's start-up,
most of it before the first request can leave) and reads each answer's headers with the email
parser. This module reads answers by the same rules (checked against it in the tests): the
status line, ``100 Continue`` skipped, at most 100 header lines of at most 64 KiB, header lines
as the email parser splits and folds them (the first line that is not a header ends them),
chunked, ``Content-Length`` and until-close bodies, and when a connection may carry the next
request. ``ssl`` is imported by ``safety`` for the first https link only.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator, Mapping

_MAXLINE = 65536
_MAXHEADERS = 100
#: a header line, a continuation, or an mbox "From " line, as the email parser tells them
_HEADER_LINE = re.compile(r"From |[\041-\071\073-\176]*:|[\t ]")
_LINES = re.compile(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)")
_CONTROL = re.compile("[\x00-\x20\x7f]")
_BAD_VALUE = re.compile(rb"\n(?![ \t])|\r(?![ \t\n])")


class BadAnswer(Exception):
    """Not an HTTP answer that can be read: the link is broken."""


class NoAnswer(ConnectionResetError):
    """The connection closed before an answer began (on a kept-alive one: it went stale)."""


class CutShort(Exception):
    """A chunked body that ended (or went wrong) before its last chunk: try again."""


class Headers(Mapping[str, str]):
    """Header values by case-insensitive name; the first of repeated ones (as ``http.client``)."""

    def __init__(self, items: list[tuple[str, str]]):
        self.items_ = items
        self._first: dict[str, str] = {}
        for name, value in items:
            self._first.setdefault(name.lower(), value)

    def __getitem__(self, name: str) -> str:
        return self._first[name.lower()]

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self._first.get(name.lower(), default)

    def get_all(self, name: str, failobj: list[str] | None = None) -> list[str] | None:
        """Every value of a repeated header (``Set-Cookie``), in order; ``failobj`` if none."""
        name = name.lower()
        found = [value for key, value in self.items_ if key.lower() == name]
        return found or failobj

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._first

    def __iter__(self) -> Iterator[str]:
        return iter(self._first)

    def __len__(self) -> int:
        return len(self._first)


def parse_headers(lines: list[bytes]) -> Headers:
    """Header lines (as read, the blank line included) as the email parser reads them."""
    text = b"".join(lines).decode("iso-8859-1")
    items: list[tuple[str, str]] = []
    name, value = "", [""]
    for line in _LINES.split(text):
        if not line or line[0] in "\r\n" or not _HEADER_LINE.match(line):
            break  # the blank line, or the first line of a body: the headers end
        if line[0] in " \t":
            if name:
                value.append(line)
            continue
        if name:
            items.append((name, "".join(value).rstrip("\r\n")))
            name = ""
        if line.startswith("From "):
            continue
        colon = line.find(":")
        if colon <= 0:
            continue
        name, value = line[:colon], [line[colon + 1 :].lstrip(" \t")]
    if name:
        items.append((name, "".join(value).rstrip("\r\n")))
    return Headers(items)


def _no_control(text: str) -> None:
    found = _CONTROL.search(text)
    if found:
        raise ValueError(
            f"URL can't contain control characters. {text!r} (found at least {found.group()!r})"
        )


def host_header(host: str, port: int, default_port: int) -> str:
    """The Host header's value, as ``http.client`` writes it."""
    try:
        enc = host.encode("ascii")
    except UnicodeEncodeError:
        enc = host.encode("idna")
    if ":" in host:  # IPv6, without its zone
        enc = b"[" + enc.split(b"%", 1)[0] + b"]"
    text = enc.decode("ascii")
    return text if port == default_port else f"{text}:{port}"


_HEADER_LINES: dict[tuple[str, str], bytes] = {}


def _header_line(name: str, value: str) -> bytes:
    """``Name: value`` as sent, checked as ``http.client`` checks it (the same few lines go with
    every request: kept once made)."""
    line = _HEADER_LINES.get((name, value))
    if line is None:
        raw = value.encode("latin-1")
        if _BAD_VALUE.search(raw):
            raise ValueError(f"Invalid header value {raw!r}")
        line = name.encode("latin-1") + b": " + raw
        if len(_HEADER_LINES) < 64:  # cookies vary: only the first few are kept
            _HEADER_LINES[(name, value)] = line
    return line


class Connection:
    """One socket (opened by ``opener`` when the first request is sent) that carries requests
    one after another; ``response`` says whether it may carry the next."""

    def __init__(
        self,
        host: str,
        port: int,
        default_port: int,
        timeout: float,
        opener: Callable[[str, int, float], socket.socket],
    ):
        _no_control(host)
        self.host, self.port, self.timeout = host, port, timeout
        self._default_port = default_port
        self._opener = opener
        self.sock: socket.socket | None = None
        self._host_line = b""
        self._buf = b""
        self._pos = 0

    def request(self, method: str, target: str, headers: Mapping[str, str]) -> None:
        _no_control(target)
        if not self._host_line:
            host = host_header(self.host, self.port, self._default_port)
            self._host_line = b"Host: " + host.encode()
        head = [f"{method} {target} HTTP/1.1".encode("ascii"), self._host_line]
        head.extend(_header_line(name, value) for name, value in headers.items())
        data = b"\r\n".join(head) + b"\r\n\r\n"
        if self.sock is None:
            self.sock = self._opener(self.host, self.port, self.timeout)
        self._buf, self._pos = b"", 0
        self.sock.sendall(data)

    def response(self, method: str, cap: int | None) -> tuple[int, Headers, bytes, bool]:
        """(status, headers, body up to ``cap`` bytes, whether the connection may be reused:
        the body was read to its end and neither side asked to close)."""
        while True:
            version, status = self._status()
            if status != 100:
                break
            self._header_lines()
        if version in ("HTTP/1.0", "HTTP/0.9"):
            old = True
        elif version.startswith("HTTP/1."):
            old = False
        else:
            raise BadAnswer(version)
        headers = parse_headers(self._header_lines())
        connection = (headers.get("connection") or "").lower()
        if old:
            will_close = not (
                headers.get("keep-alive")
                or "keep-alive" in connection
                or "keep-alive" in (headers.get("proxy-connection") or "").lower()
            )
        else:
            will_close = "close" in connection
        chunked = (headers.get("transfer-encoding") or "").lower() == "chunked"
        length: int | None = None
        if not chunked and headers.get("content-length"):
            try:
                length = int(headers["content-length"])
            except ValueError:
                length = None
            if length is not None and length < 0:
                length = None
        if method == "HEAD":  # no body, whatever the headers say
            return status, headers, b"", not will_close
        if status in (204, 304) or 100 <= status < 200:
            length = 0
        if chunked:
            body, done = self._chunked(cap)
        elif length is None:  # until the server closes: the connection cannot be reused
            return status, headers, self._read(cap), False
        else:
            amount = length if cap is None else min(cap, length)
            body = self._read(amount)
            # nothing at all where a body was due counts as done, as in ``http.client`` (the
            # connection, closed by the server, is dropped by ``safety._dropped`` when taken)
            done = len(body) == length or (not body and amount > 0)
        return status, headers, body, done and not will_close

    def close(self) -> None:
        sock, self.sock = self.sock, None
        if sock is not None:
            sock.close()

    # -- reading ---------------------------------------------------------------------------

    def _fill(self) -> bool:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def _line(self, what: str) -> bytes:
        """The next line with its end (or what is left at the end of the stream)."""
        while True:
            end = self._buf.find(b"\n", self._pos)
            if end >= 0:
                line = self._buf[self._pos : end + 1]
                if len(line) > _MAXLINE:
                    raise BadAnswer(f"got more than {_MAXLINE} bytes when reading {what}")
                self._pos = end + 1
                return line
            if len(self._buf) - self._pos > _MAXLINE:
                raise BadAnswer(f"got more than {_MAXLINE} bytes when reading {what}")
            if not self._fill():
                line, self._buf, self._pos = self._buf[self._pos :], b"", 0
                return line

    def _read(self, amount: int | None) -> bytes:
        """Up to ``amount`` bytes (None: all), fewer when the stream ends first."""
        while amount is None or len(self._buf) - self._pos < amount:
            if not self._fill():
                break
        stop = len(self._buf) if amount is None else self._pos + amount
        data = self._buf[self._pos : stop]
        self._pos += len(data)
        return data

    def _status(self) -> tuple[str, int]:
        line = str(self._line("status line"), "iso-8859-1")
        if not line:
            raise NoAnswer("Remote end closed connection without response")
        words = line.split(None, 2)
        version = words[0] if len(words) >= 2 else ""
        if not version.startswith("HTTP/"):
            raise BadAnswer(line)
        try:
            status = int(words[1])
        except ValueError:
            raise BadAnswer(line) from None
        if not 100 <= status <= 999:
            raise BadAnswer(line)
        return version, status

    def _header_lines(self) -> list[bytes]:
        lines = []
        while True:
            line = self._line("header line")
            lines.append(line)
            if len(lines) > _MAXHEADERS:
                raise BadAnswer(f"got more than {_MAXHEADERS} headers")
            if line in (b"\r\n", b"\n", b""):
                return lines

    def _chunked(self, cap: int | None) -> tuple[bytes, bool]:
        """A chunked body up to ``cap`` bytes, and whether it was read to its end."""
        parts: list[bytes] = []
        got = 0
        while True:
            line = self._line("chunk size")
            try:
                size = int(line.split(b";", 1)[0], 16)
            except ValueError:
                raise CutShort("a chunk size that is not a number") from None
            if size < 0:
                raise CutShort("a negative chunk size")
            if size == 0:
                while self._line("trailer line") not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts), True
            take = size if cap is None else min(size, cap - got)
            data = self._read(take)
            if len(data) < take:
                raise CutShort("the body ended inside a chunk")
            parts.append(data)
            got += take
            if take < size or (cap is not None and got >= cap):
                return b"".join(parts), False
            if len(self._read(2)) < 2:
                raise CutShort("the body ended inside a chunk")
