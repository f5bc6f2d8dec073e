"""One try at one URL: one request through the network client, the answer classified.

The client vets every hop's address, keeps the deadline and caps the body; the checker follows
redirects itself (``check``), one hop at a time, so it asks with ``follow_redirects=False``
and no retries (the scheduler retries, politely). Bodies are read raw (never decompressed) up
to a byte cap. The answer is either final or says why and when to try again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from http import HTTPStatus
from urllib.parse import urlsplit

from ..net import SCHEMES, Client, NetError, retry_after
from .policy import Settings
from .types import Status

PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: a result's kind when the network itself could not be reached (no route, no name server)
OFFLINE = "offline"
#: the host name does not resolve: a dead domain, or (for every host at once) no working DNS
NO_HOST = "no-host"


@dataclass(frozen=True)
class Attempt:
    """A final status, or ``status`` None with the reason to retry (``retry``) and a wait."""

    status: Status | None
    detail: str
    http_status: int | None = None
    final_url: str | None = None
    retry: str | None = None
    retry_after: float | None = None
    #: a stable code for what is wrong beyond the status (``artwork-not-square``, ``offline``)
    kind: str = ""


@dataclass(frozen=True)
class Answer:
    status: int
    #: case-insensitive, or a plain dict when empty
    headers: Mapping[str, str]
    body: bytes


_HEADERS = {"Accept-Encoding": "identity", "Accept": "text/html,application/json;q=0.9,*/*;q=0.8"}


def fetch(
    client: Client,
    method: str,
    url: str,
    settings: Settings,
    cookie: str = "",
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """One request with no redirect followed, its body cut at ``settings.max_bytes``;
    ``NetError`` when it gets no answer."""
    sent = dict(_HEADERS)
    if cookie:
        sent["Cookie"] = cookie
    sent.update(headers or {})
    response = client.request(
        method,
        url,
        headers=sent,
        follow_redirects=False,
        partial=True,
        max_bytes=settings.max_bytes,
        retries=0,
    )
    return Answer(response.status, response.headers, response.content)


def refused_scheme(url: str) -> str | None:
    """Why ``url`` is not checked for its scheme, or None for http and https."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in SCHEMES:
        return None
    return f"{scheme or 'no'} scheme refused: only http and https links are checked"


def from_error(exc: Exception) -> Attempt:
    """A request error as a result: what it means for the link and whether to try again."""
    if not isinstance(exc, NetError):  # a bug, not the link's fault: said as it is
        return Attempt(Status.BROKEN, f"checker error: {type(exc).__name__}: {exc}")
    said = exc.message.removeprefix(f"{exc.url}: ")
    if exc.kind == "connect":
        if "refused" in said:  # nothing listens there
            return Attempt(Status.BROKEN, "connection refused")
        return Attempt(None, "connection reset", retry="reset")
    if exc.kind == "dns":
        return Attempt(Status.BROKEN, "the host name does not resolve", kind=NO_HOST)
    if exc.kind == "tls":
        return Attempt(Status.BROKEN, f"TLS error: {said.removeprefix('TLS failed: ')}")
    if exc.kind == "bad-response":
        return Attempt(Status.BROKEN, f"invalid HTTP answer: {said}")
    if exc.kind == "bad-scheme":
        return Attempt(Status.BROKEN, f"invalid URL: {said}")
    if exc.kind == "timeout":
        return Attempt(None, said, retry="timeout")
    if exc.kind == "offline":  # nothing learnt about the link, and no use asking again
        return Attempt(Status.UNVERIFIABLE, said, kind=OFFLINE)
    if exc.kind == "refused-address":
        return Attempt(Status.BROKEN, said, kind="refused-address")
    return Attempt(Status.BROKEN, said)  # too many redirects, too large


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
