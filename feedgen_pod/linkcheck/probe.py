"""One try at one URL: HEAD (or GET), redirects followed by hand, the answer classified.

Every hop is vetted by ``safety`` before a byte is sent; bodies are read raw (never
decompressed) up to a byte cap; a wall-clock deadline closes the socket of a request that
drips bytes. The answer is either final or says why and when to try again.
"""

from __future__ import annotations

import _thread
import contextlib
import socket
import sys
import threading
import time
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote, urlsplit

from . import safety
from .http1 import BadAnswer, CutShort
from .policy import Settings
from .types import Status

PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_WALL_MARKERS = (b"just a moment", b"captcha", b"cf-chl", b"access denied", b"are you a robot")


class Attempt(NamedTuple):
    """A final status, or ``status`` None with the reason to retry (``retry``) and a wait.

    Named tuples, not dataclasses, for the checker's per-request values: a frozen dataclass
    costs ≈0.7 ms to define at start-up and more to make.
    """

    status: Status | None
    detail: str
    http_status: int | None = None
    final_url: str | None = None
    retry: str | None = None
    retry_after: float | None = None


class Answer(NamedTuple):
    status: int
    #: case-insensitive (``http1.Headers``), or a plain dict when empty
    headers: Mapping[str, str]
    body: bytes


class DeadlineExceeded(Exception):
    pass


class _Watchdog:
    """One thread that closes the sockets of requests past their deadline (a timer per
    request would cost a thread each)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: dict[int, tuple[float, list, threading.Event]] = {}
        self._started = False

    def watch(self, key: int, deadline: float, sockets: list, fired: threading.Event) -> None:
        with self._lock:
            self._active[key] = (deadline, sockets, fired)
            if not self._started:
                # a bare thread, like the workers: ``threading.Thread.start`` waits until it
                # has run, ≈5 ms of the first request while the other workers start
                self._started = True
                _thread.start_new_thread(self._run, ())

    def unwatch(self, key: int) -> None:
        with self._lock:
            self._active.pop(key, None)

    def _run(self) -> None:
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            with self._lock:
                expired = [k for k, (d, _, _) in self._active.items() if d <= now]
                items = [self._active.pop(k) for k in expired]
            for _, sockets, fired in items:
                fired.set()
                for sock in list(sockets):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)


_WATCHDOG = _Watchdog()


#: characters left as they are in a request target; others (spaces, non-ASCII) %-encoded
_TARGET_SAFE = "!#$%&'()*+,/:;=?@[]~"
_STALE = (ConnectionResetError, BrokenPipeError)  # http1.NoAnswer is a ConnectionResetError


def fetch(
    session: safety.Session, method: str, url: str, settings: Settings, cookie: str = ""
) -> Answer:
    """One request with no redirects followed, bounded in bytes and wall-clock time.

    A kept-alive connection the server closed while it was idle is not the link's fault: a
    request that fails that way on a reused connection is sent once more, on a new one.
    """
    try:
        return _fetch(session, method, url, settings, cookie, reuse=True)
    except _StaleConnection:
        return _fetch(session, method, url, settings, cookie, reuse=False)


class _StaleConnection(Exception):
    pass


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, request target) of an http(s) URL; ValueError when invalid."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname
    if not host:
        raise ValueError(f"no host name in {url!r}")
    port = parts.port or (443 if scheme == "https" else 80)
    path = quote(parts.path or "/", safe=_TARGET_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_TARGET_SAFE)
    return scheme, host, port, path


def _fetch(
    session: safety.Session, method: str, url: str, settings: Settings, cookie: str, reuse: bool
) -> Answer:
    safety.check_scheme(url)
    scheme, host, port, target = _target(url)
    sockets = safety.open_sockets()
    sockets.clear()
    fired = threading.Event()
    key = threading.get_ident()
    _WATCHDOG.watch(key, time.monotonic() + settings.deadline, sockets, fired)
    if reuse:
        conn, reused = session.take(scheme, host, port, settings.timeout)
    else:
        conn, reused = session.new(scheme, host, port, settings.timeout), False
    if conn.sock is not None:
        sockets.append(conn.sock)
    keep = False
    try:
        headers = {
            "User-Agent": settings.user_agent,
            "Accept-Encoding": "identity",
            "Accept": "text/html,application/json;q=0.9,*/*;q=0.8",
        }
        if cookie:
            headers["Cookie"] = cookie
        conn.request(method, target, headers)
        status, answer_headers, body, done = conn.response(method, settings.max_bytes)
        if fired.is_set():
            raise DeadlineExceeded(f"no complete answer within {settings.deadline:g} s")
        # read to its end (HEAD has no body; a body at the cap may go on) and not asked to
        # close: the connection can carry the next request
        keep = done
        return Answer(status, answer_headers, body)
    except Exception as exc:
        if fired.is_set():
            raise DeadlineExceeded(f"no complete answer within {settings.deadline:g} s") from None
        if reused and isinstance(exc, _STALE):
            raise _StaleConnection from exc
        raise
    finally:
        _WATCHDOG.unwatch(key)
        sockets.clear()
        if keep:
            session.give(scheme, host, port, conn)
        else:
            conn.close()


def retry_after(value: str | None, cap: float, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds (a number or an HTTP date), capped; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        from email.utils import parsedate_to_datetime  # for an HTTP date only: rare

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), cap)


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack = [exc]
    while stack and len(seen) < 20:
        item = stack.pop()
        if item in seen:
            continue
        seen.append(item)
        stack.extend(a for a in getattr(item, "args", ()) if isinstance(a, BaseException))
        for attr in ("__cause__", "__context__", "reason"):
            nxt = getattr(item, attr, None)
            if isinstance(nxt, BaseException):
                stack.append(nxt)
    return seen


def from_error(exc: Exception) -> Attempt:
    """A request error as a result: what it means for the link and whether to try again."""
    if isinstance(exc, safety.Refused):
        return Attempt(Status.BROKEN, str(exc))
    if isinstance(exc, DeadlineExceeded):
        return Attempt(None, str(exc), retry="timeout")
    causes = _causes(exc)
    if any(isinstance(c, socket.gaierror) for c in causes):
        return Attempt(Status.BROKEN, "the host name does not resolve")
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return Attempt(Status.BROKEN, "connection refused")
    ssl = sys.modules.get("ssl")
    if ssl is not None and isinstance(exc, (ssl.SSLError, ssl.CertificateError)):
        return Attempt(Status.BROKEN, f"TLS error: {exc}")
    if isinstance(exc, TimeoutError):
        return Attempt(None, "timed out", retry="timeout")
    if isinstance(exc, safety.ConnectFailed):
        return Attempt(None, "connection reset", retry="reset")
    if isinstance(exc, (UnicodeError, ValueError)):
        return Attempt(Status.BROKEN, f"invalid URL: {exc}")
    if isinstance(exc, BadAnswer):
        return Attempt(Status.BROKEN, f"invalid HTTP answer: {exc}")
    if isinstance(exc, (OSError, CutShort)):
        return Attempt(None, "connection reset", retry="reset")
    return Attempt(Status.BROKEN, f"{type(exc).__name__}: {exc}")


def warm_up() -> None:
    """Import now what reading answers imports on first need (between the first requests and
    their answers, rather than while answers are coming in)."""
    import http  # noqa: F401  (``_reason``)


def _reason(code: int) -> str:
    """The standard reason phrase (``http``'s table, imported when a link is broken)."""
    from http import HTTPStatus

    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "error"


@lru_cache(maxsize=1024)
def hostname(url: str) -> str:
    """``url``'s host name in lowercase ("" when none): asked for several times a check, and
    ``urlsplit``'s ``hostname`` parses the address each time."""
    return (urlsplit(url).hostname or "").lower()


def classify(url: str, answer: Answer, settings: Settings) -> Attempt:
    """A final (non-redirect) answer as a status."""
    code = answer.status
    host = hostname(url)
    walled = "cf-mitigated" in answer.headers or (
        bool(answer.body) and any(m in answer.body[:4096].lower() for m in _WALL_MARKERS)
    )
    if code == 999:
        return Attempt(Status.UNVERIFIABLE, "bot wall (HTTP 999, LinkedIn's answer to bots)", code)
    if code == 429:
        wait = retry_after(answer.headers.get("Retry-After"), settings.retry_after_cap)
        return Attempt(None, "rate limited (HTTP 429)", code, retry="429", retry_after=wait)
    if code >= 500:
        if walled:
            return Attempt(Status.UNVERIFIABLE, f"bot-protection page (HTTP {code})", code)
        wait = retry_after(answer.headers.get("Retry-After"), settings.retry_after_cap)
        return Attempt(None, f"server error (HTTP {code})", code, retry="5xx", retry_after=wait)
    if code in REDIRECTS:  # a redirect with nowhere to go (the caller follows the others)
        return Attempt(Status.BROKEN, f"HTTP {code} redirect without a Location header", code)
    if code == 406:
        return Attempt(
            Status.UNVERIFIABLE,
            "the server would not answer the checker's request (HTTP 406); may work in a browser",
            code,
        )
    if code in (401, 403):
        why = "a bot-protection page" if walled else "access denied to the checker"
        return Attempt(Status.UNVERIFIABLE, f"{why} (HTTP {code}); may work in a browser", code)
    if code >= 400:
        reason = _reason(code)
        return Attempt(Status.BROKEN, f"HTTP {code} {reason}", code)
    if host in ("x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.twitter.com"):
        return Attempt(Status.UNVERIFIABLE, "X/Twitter shows bots a login wall", code)
    return Attempt(Status.OK, "", code)
