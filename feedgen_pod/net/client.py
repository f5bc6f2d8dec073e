"""``Client.request``: one request with its redirects and retries, under one deadline.

Redirects are followed here, one hop at a time, each through the vetting transport: at most
``max_redirects``, http and https only, ``Authorization`` and cookies never sent to another
origin, a 303 (and a 301/302 after a POST) turned into a GET, and a 307/308 that would re-send
a body to another origin refused. A 429 or 503 answer, or a connection that failed, is tried
again after ``Retry-After`` (seconds or an HTTP date, capped) or a doubling backoff, as long as
the wait ends before the deadline. The body is read up to the byte cap, counted after
decompression, in pieces, so neither a large nor a highly compressed answer fills the memory.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import orjson
import requests
from requests.utils import get_encoding_from_headers, requote_uri
from urllib3.exceptions import (
    ProtocolError,
)

from .errors import NetError, one_line
from .failures import chain, classify, late
from .policy import SCHEMES, NetPolicy, origin
from .transport import WATCHDOG, VettedAdapter, Watch

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 503})
#: headers that carry a credential: sent to the origin they were meant for only
_SECRET_HEADERS = ("authorization", "cookie", "proxy-authorization")
_READ = 65536


@dataclass(frozen=True)
class Response:
    """A final answer (not a redirect, unless ``follow_redirects`` was False)."""

    status: int
    reason: str
    #: case-insensitive; ``headers.getlist(name)`` gives each value of a repeated header
    #: (urllib3's ``HTTPHeaderDict``)
    headers: Mapping[str, str]
    #: the URL that answered (after redirects)
    url: str
    content: bytes
    #: every URL that answered with a redirect on the way, in order
    history: tuple[str, ...] = ()
    #: ``Retry-After`` in seconds (capped by the policy), None when absent or unreadable
    retry_after: float | None = None
    #: True when the body was longer than the cap and only its start was kept (``partial``)
    truncated: bool = False
    #: how many times the request was sent (1 + the retries it took)
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        """The body decoded by its declared charset (UTF-8 when none), bad bytes replaced."""
        declared = get_encoding_from_headers(dict(self.headers))
        if declared == "ISO-8859-1" and "charset" not in self.headers.get("Content-Type", ""):
            declared = None  # requests' default for text/*; the web means UTF-8
        try:
            return self.content.decode(declared or "utf-8", "replace")
        except LookupError:
            return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON; ``NetError`` (``bad-response``) when it is not."""
        try:
            return orjson.loads(self.content)
        except ValueError as exc:
            raise NetError(self.url, "bad-response", f"{self.url}: not JSON ({exc})") from None


def retry_after(value: str | None, cap: float, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds: ASCII digits or an HTTP date, capped at ``cap``; None for
    anything else (``²``, a negative number, a date nobody can read).

    >>> retry_after("120", 60.0), retry_after("\\xb2", 60.0), retry_after("soon", 60.0)
    (60.0, None, None)
    """
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,12}", value):
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), cap)


def redirect_target(base: str, location: str) -> str:
    """Where a ``Location`` leads from ``base``, as an ASCII URL. http.client reads header
    bytes as Latin-1, so a raw UTF-8 ``/café`` arrives as ``/cafÃ©``: it is read back as
    UTF-8 when that is what it was, then percent-encoded (``/caf%C3%A9``).

    >>> redirect_target("http://h/a/b", "/caf\xc3\xa9")
    'http://h/caf%C3%A9'
    """
    location = location.strip()
    with contextlib.suppress(UnicodeError):
        location = location.encode("latin-1").decode("utf-8")
    return requote_uri(urljoin(base, location))


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise NetError(
            url, "bad-scheme", f"{url}: {scheme or 'no'} scheme; only http and https are fetched"
        )


class Client:
    """Every request of one command: its policy, one pool of kept-alive connections per
    address. Thread-safe; a context manager that closes the connections."""

    def __init__(self, policy: NetPolicy | None = None):
        self.policy = policy or NetPolicy()
        self._adapter = VettedAdapter(self.policy)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._adapter.close()

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        data: Any = None,
        json: Any = None,
        files: Any = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
        follow_redirects: bool = True,
        partial: bool = False,
        retries: int | None = None,
    ) -> Response:
        """The final answer to ``method url``, or ``NetError``. ``partial``: only the start
        of the body matters (a link check): a body over the cap is cut to it, and one the
        server cut short or broke is kept as far as it came (``Response.truncated``), instead
        of an error. ``retries`` overrides the policy's for this call."""
        policy = self.policy
        limit = policy.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        cap = policy.max_bytes if max_bytes is None else max_bytes
        tries = policy.retries if retries is None else retries
        method = method.upper()
        current = url
        history: list[str] = []
        sent_headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
        sent_headers.update(headers or {})
        body = {"params": params, "data": data, "json": json, "files": files}
        try:
            prepared = requests.Request(method, url, headers=sent_headers, **body).prepare()
        except Exception as exc:
            why = one_line(str(exc), 120)
            raise NetError(url, "bad-scheme", f"{url}: not a valid URL ({why})") from None
        attempt = 0
        while True:
            _check_scheme(prepared.url or current)
            current = prepared.url or current
            try:
                response = self._send(prepared, deadline, limit, cap, partial)
            except NetError as exc:
                again = attempt < tries and exc.kind in ("connect", "offline")
                if again and self._wait(None, attempt, deadline):
                    attempt += 1
                    continue
                exc.attempts = attempt + 1
                raise
            location = response.headers.get("Location")
            if follow_redirects and response.status in REDIRECTS and location:
                history.append(current)
                if len(history) > policy.max_redirects:
                    raise NetError(
                        current,
                        "too-many-redirects",
                        f"{url}: more than {policy.max_redirects} redirects",
                    )
                target = redirect_target(current, location)
                prepared = self._redirected(prepared, response.status, current, target)
                continue
            again = response.status in RETRY_STATUSES and attempt < tries
            if again and self._wait(response.retry_after, attempt, deadline):
                attempt += 1
                continue
            return Response(
                response.status,
                one_line(response.reason, 200),
                response.headers,
                current,
                response.content,
                tuple(history),
                response.retry_after,
                response.truncated,
                attempt + 1,
            )

    def _wait(self, asked: float | None, attempt: int, deadline: float) -> bool:
        """Sleep before another try; False (no sleep) when it would end past the deadline."""
        wait = asked if asked is not None else self.policy.backoff * 2**attempt
        wait = min(wait, self.policy.retry_after_cap)
        if time.monotonic() + wait >= deadline:
            return False
        time.sleep(wait)
        return True

    def _redirected(
        self, prepared: requests.PreparedRequest, status: int, here: str, target: str
    ) -> requests.PreparedRequest:
        """The request for the next hop, or ``NetError`` when it must not be sent."""
        _check_scheme(target)
        method = prepared.method or "GET"
        same = origin(here) == origin(target)
        keep_body = status in (307, 308)
        if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
            method, keep_body = "GET", False
        if keep_body and prepared.body is not None and not same:
            raise NetError(
                target,
                "refused-address",
                f"{here}: a {status} redirect would re-send the {method} body to another "
                f"origin ({target}); not followed",
            )
        headers = {
            k: v
            for k, v in prepared.headers.items()
            if k.lower() not in ("host", "content-length", "transfer-encoding")
            and not (k.lower() == "content-type" and not keep_body)
            and not (k.lower() in _SECRET_HEADERS and not same)
        }
        nxt = requests.Request(method, target, headers=headers).prepare()
        if keep_body and prepared.body is not None:
            nxt.prepare_body(prepared.body, None)
            if "Content-Type" in prepared.headers:
                nxt.headers["Content-Type"] = prepared.headers["Content-Type"]
        return nxt

    def _send(
        self,
        prepared: requests.PreparedRequest,
        deadline: float,
        limit: float,
        cap: int,
        partial: bool,
    ) -> _Raw:
        """One hop: sent, its body read within the cap, all before the deadline."""
        url = prepared.url or ""
        left = deadline - time.monotonic()
        idle = min(left, self.policy.idle_timeout or left)
        if left <= 0:
            raise late(url, limit)
        watch = Watch(deadline)
        WATCHDOG.start(watch)
        answered = False
        resp = None
        try:
            for fresh in (False, True):
                try:
                    resp = self._adapter.send(
                        prepared,
                        stream=True,
                        timeout=(idle, idle),
                        verify=self.policy.ca_file or True,
                    )
                    break
                except (requests.ConnectionError, ProtocolError) as exc:
                    # a kept-alive connection the server had closed: once more, on a new one
                    if fresh or watch.opened or watch.fired or prepared.method == "POST":
                        raise
                    if not any(isinstance(e, ConnectionError) for e in chain(exc)):
                        raise
            assert resp is not None
            answered = True
            raw = resp.raw
            got = _Raw(resp.status_code, resp.reason or "", raw.headers)
            got.retry_after = retry_after(
                resp.headers.get("Retry-After"), self.policy.retry_after_cap
            )
            # read even when there is no body (HEAD, 204, 304): the read ends the answer, and a
            # connection whose answer was not ended cannot carry the next request
            got.content, got.truncated = _read_body(url, raw, cap, partial, watch)
        except BaseException as exc:
            fired = WATCHDOG.stop(watch)
            if resp is not None:
                resp.close()
            if fired and not isinstance(exc, NetError):
                raise late(url, limit) from None
            if isinstance(exc, Exception):
                raise classify(url, exc, answered, limit) from None
            raise
        if WATCHDOG.stop(watch):
            resp.close()
            raise late(url, limit)
        if got.truncated:
            resp.close()
        else:
            resp.raw.release_conn()
        return got


class _Raw:
    """One hop's answer while it is being read."""

    def __init__(self, status: int, reason: str, headers: Any):
        self.status = status
        self.reason = reason
        #: urllib3's: case-insensitive, ``getlist`` gives each value of a repeated header
        self.headers: Mapping[str, str] = headers
        self.content = b""
        self.truncated = False
        self.retry_after: float | None = None


def _read_body(url: str, raw: Any, cap: int, partial: bool, watch: Watch) -> tuple[bytes, bool]:
    """The body, decompressed, read a piece at a time (urllib3 decompresses no more than a
    piece asks for), until its end or one byte past ``cap``. With ``partial``, a body the
    server cut short or broke is kept as far as it came (the deadline still ends it)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            piece = raw.read(min(_READ, cap + 1 - size), decode_content=True)
        except Exception:
            if not partial or watch.fired:
                raise
            return b"".join(chunks), True
        if not piece:
            return b"".join(chunks), False
        chunks.append(piece)
        size += len(piece)
        if size > cap:
            if partial:
                return b"".join(chunks)[:cap], True
            with contextlib.suppress(Exception):
                raw.close()
            raise NetError(url, "too-large", f"{url}: the answer is larger than {cap:,} bytes")
