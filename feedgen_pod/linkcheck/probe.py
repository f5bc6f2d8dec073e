"""One try at one URL: HEAD (or GET), redirects followed by hand, the answer classified.

Every hop is vetted by ``safety`` before a byte is sent; bodies are read raw (never
decompressed) up to a byte cap; a wall-clock deadline closes the socket of a request that
drips bytes. The answer is either final or says why and when to try again.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from http import HTTPStatus
from urllib.parse import urlsplit

from urllib3.exceptions import (
    LocationValueError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    SSLError,
    TimeoutError,
)

from . import safety
from .policy import Settings
from .types import Status

PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Attempt:
    """A final status, or ``status`` None with the reason to retry (``retry``) and a wait."""

    status: Status | None
    detail: str
    http_status: int | None = None
    final_url: str | None = None
    retry: str | None = None
    retry_after: float | None = None
    #: a stable code for what is wrong beyond the status (``artwork-not-square``)
    kind: str = ""


@dataclass(frozen=True)
class Answer:
    status: int
    #: case-insensitive (urllib3's), or a plain dict when empty
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
                self._started = True
                threading.Thread(target=self._run, name="linkcheck-deadline", daemon=True).start()

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


def fetch(
    pools: safety.Pools,
    method: str,
    url: str,
    settings: Settings,
    cookie: str = "",
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """One request with no redirects followed, bounded in bytes and wall-clock time.

    A kept-alive connection the server closed while it was idle is not the link's fault: a
    request that fails that way (no socket opened for it) is sent again, on another connection.
    """
    for _ in range(3):
        before = safety.opened()
        try:
            return _fetch(pools, method, url, settings, cookie, headers)
        except ProtocolError:
            if safety.opened() != before:
                raise
    return _fetch(pools, method, url, settings, cookie, headers)


def _fetch(
    pools: safety.Pools,
    method: str,
    url: str,
    settings: Settings,
    cookie: str,
    extra: Mapping[str, str] | None = None,
) -> Answer:
    safety.check_scheme(url)
    if not urlsplit(url).hostname:
        raise LocationValueError(f"no host name in {url!r}")
    sockets = safety.open_sockets()
    sockets.clear()
    fired = threading.Event()
    key = threading.get_ident()
    _WATCHDOG.watch(key, time.monotonic() + settings.deadline, sockets, fired)
    headers = {
        "User-Agent": settings.user_agent,
        "Accept-Encoding": "identity",
        "Accept": "text/html,application/json;q=0.9,*/*;q=0.8",
    }
    if cookie:
        headers["Cookie"] = cookie
    if extra:
        headers.update(extra)
    response = None
    try:
        response = pools.urlopen(
            method,
            url,
            headers=headers,
            redirect=False,
            retries=False,
            timeout=settings.timeout,
            preload_content=False,
            decode_content=False,
            enforce_content_length=False,
        )
        # one byte past the cap tells a body read to its end (its connection kept) from one
        # that goes on (its connection closed)
        body = response.read(settings.max_bytes + 1, decode_content=False)
        if fired.is_set():
            raise DeadlineExceeded(f"no complete answer within {settings.deadline:g} s")
        if len(body) > settings.max_bytes:
            body = body[: settings.max_bytes]
            response.close()
        return Answer(response.status, response.headers, body)
    except Exception:
        if fired.is_set():
            raise DeadlineExceeded(f"no complete answer within {settings.deadline:g} s") from None
        if response is not None:
            response.close()
        raise
    finally:
        _WATCHDOG.unwatch(key)
        sockets.clear()
        if response is not None:
            response.release_conn()


def retry_after(value: str | None, cap: float, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds (a number or an HTTP date), capped; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), cap)


def from_error(exc: Exception) -> Attempt:
    """A request error as a result: what it means for the link and whether to try again."""
    if isinstance(exc, safety.Refused):
        return Attempt(Status.BROKEN, str(exc), kind="refused-address")
    if isinstance(exc, DeadlineExceeded):
        return Attempt(None, str(exc), retry="timeout")
    if isinstance(exc, NameResolutionError):
        return Attempt(Status.BROKEN, "the host name does not resolve")
    if isinstance(exc, safety.ConnectionRefused):
        return Attempt(Status.BROKEN, "connection refused")
    if isinstance(exc, SSLError):
        return Attempt(Status.BROKEN, f"TLS error: {exc}")
    if isinstance(exc, NewConnectionError):
        return Attempt(None, "connection reset", retry="reset")
    if isinstance(exc, TimeoutError):  # urllib3's: connecting, or between two reads
        return Attempt(None, "timed out", retry="timeout")
    if isinstance(exc, safety.BadAnswer):
        return Attempt(Status.BROKEN, f"invalid HTTP answer: {exc}")
    if isinstance(exc, (LocationValueError, UnicodeError, ValueError)):
        return Attempt(Status.BROKEN, f"invalid URL: {exc}")
    if isinstance(exc, (ProtocolError, OSError)):
        return Attempt(None, "connection reset", retry="reset")
    return Attempt(Status.BROKEN, f"{type(exc).__name__}: {exc}")


def _reason(code: int) -> str:
    """The standard reason phrase."""
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
    """A final (non-redirect) answer as a status; the domain profiles (``profiles``) first."""
    code = answer.status
    walled = settings.profiles.judge(url, hostname(url), code, answer.headers, answer.body)
    if walled is not None:
        return Attempt(Status.UNVERIFIABLE, walled + "; may work in a browser", code)
    if code == 999:
        return Attempt(Status.UNVERIFIABLE, "bot wall (HTTP 999, LinkedIn's answer to bots)", code)
    if code == 429:
        wait = retry_after(answer.headers.get("Retry-After"), settings.retry_after_cap)
        return Attempt(None, "rate limited (HTTP 429)", code, retry="429", retry_after=wait)
    if code >= 500:
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
        why = f"access denied to the checker (HTTP {code}); may work in a browser"
        return Attempt(Status.UNVERIFIABLE, why, code)
    if code >= 400:
        reason = _reason(code)
        return Attempt(Status.BROKEN, f"HTTP {code} {reason}", code)
    return Attempt(Status.OK, "", code)
