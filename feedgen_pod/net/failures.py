"""What went wrong with a request, in the client's words: a library's exception (requests,
urllib3, http.client, ssl, the socket) walked down to its cause and said as one ``NetError``.
"""

from __future__ import annotations

import http.client
import ssl

import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    IncompleteRead,
    InvalidChunkLength,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from .address import OFFLINE_ERRNO
from .errors import NetError, one_line


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (``args``, ``reason``, causes), outermost first."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:
        item = todo.pop(0)
        if item in seen:
            continue
        seen.append(item)
        todo += [a for a in getattr(item, "args", ()) if isinstance(a, BaseException)]
        for attr in ("reason", "__cause__", "__context__"):
            inner = getattr(item, attr, None)
            if isinstance(inner, BaseException):
                todo.append(inner)
    return seen


def classify(url: str, exc: BaseException, answered: bool, limit: float = 0.0) -> NetError:
    """A library's exception as a ``NetError``; ``answered``: the headers had come;
    ``limit``: the request's deadline in seconds, for the message."""
    if isinstance(exc, NetError):
        return exc
    causes = chain(exc)
    kinds = {type(e) for e in causes}

    def has(*types: type) -> bool:
        return any(issubclass(k, types) for k in kinds)

    # http.client reads a chunk size it cannot parse as an IncompleteRead over a ValueError
    bad_size = has(http.client.IncompleteRead) and has(ValueError)
    if bad_size or has(InvalidChunkLength):
        return NetError(url, "bad-response", f"{url}: a bad chunk size in the answer's body")
    if has(DecodeError):
        return NetError(url, "bad-response", f"{url}: the body is not the encoding it claims")
    if has(IncompleteRead, http.client.IncompleteRead):
        return NetError(url, "bad-response", f"{url}: the answer ended before its end")
    if has(SSLError, ssl.SSLError, ssl.CertificateError):
        detail = next((str(e) for e in causes if isinstance(e, ssl.SSLError)), "")
        return NetError(url, "tls", f"{url}: TLS failed: {detail or 'handshake error'}")
    # urllib3's NewConnectionError is a ConnectTimeoutError too (for compatibility)
    timed_out = any(
        isinstance(e, (ReadTimeoutError, TimeoutError))
        or (isinstance(e, ConnectTimeoutError) and not isinstance(e, NewConnectionError))
        for e in causes
    )
    if timed_out:
        return late(url, limit)
    if has(http.client.RemoteDisconnected) or (not answered and has(ConnectionResetError)):
        return NetError(url, "connect", f"{url}: the connection was closed before an answer")
    errnos = {getattr(e, "errno", None) for e in causes if isinstance(e, OSError)}
    if errnos & OFFLINE_ERRNO:
        return NetError(url, "offline", f"{url}: the network is unreachable")
    if has(ConnectionRefusedError):
        return NetError(url, "connect", f"{url}: connection refused")
    if has(NewConnectionError):
        return NetError(url, "connect", f"{url}: cannot connect")
    if has(http.client.HTTPException, ProtocolError, requests.exceptions.InvalidHeader):
        detail = next(
            (one_line(str(e), 120) for e in causes if isinstance(e, http.client.HTTPException)), ""
        )
        what = f" ({detail})" if detail else ""
        return NetError(url, "bad-response", f"{url}: not a valid HTTP answer{what}")
    if has(requests.exceptions.InvalidURL, requests.exceptions.URLRequired, ValueError):
        return NetError(url, "bad-scheme", f"{url}: not a valid URL")
    if has(OSError):
        return NetError(url, "connect", f"{url}: connection failed")
    return NetError(url, "bad-response", f"{url}: {type(exc).__name__}")


def late(url: str, limit: float) -> NetError:
    within = f"{limit:g} s" if limit > 0 else "the deadline"
    return NetError(url, "timeout", f"{url}: no complete answer within {within}")
