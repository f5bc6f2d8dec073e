"""Where the checker may connect: http(s) only, public addresses only, checked at the socket.

The link checker runs in CI next to secrets, and URLs come from pull requests by strangers, so
a link (or a redirect, or a DNS name) must not make it talk to the machine's own network. The
check happens when the socket is opened: urllib3's connections here (``Pools``) open theirs
through ``vet``, which resolves the name, vets every address and connects to a vetted one, so
a DNS answer cannot change in between. urllib3 never reads proxy variables from the
environment (requests does; it is not used here).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

SCHEMES = frozenset({"http", "https"})


class Refused(Exception):
    """A URL the checker will not fetch; not an OSError, so never taken for a network error."""


class ConnectionRefused(NewConnectionError):
    """Every vetted address of the host refused the connection: nothing listens there."""


class BadAnswer(Exception):
    """Not an HTTP answer that can be read (a status line, too many or too long headers): the
    link is broken. Not an OSError either, so urllib3 hands it on as it is."""


@dataclass(frozen=True)
class Guard:
    allow_private: bool = False
    #: ``host:port`` pairs allowed although private (tests, benchmarks)
    allow: frozenset[str] = frozenset()
    #: host → address used instead of DNS, like curl's --resolve (tests, benchmarks)
    resolve: tuple[tuple[str, str], ...] = ()


_local = threading.local()


def current_guard() -> Guard:
    return getattr(_local, "guard", None) or Guard()


def set_guard(guard: Guard) -> None:
    _local.guard = guard


def open_sockets() -> list[socket.socket]:
    """Sockets this thread's current request uses (the deadline shuts them down)."""
    if not hasattr(_local, "sockets"):
        _local.sockets = []
    return _local.sockets


def opened() -> int:
    """How many sockets this thread has opened: a request that opened none ran on a kept-alive
    connection."""
    return getattr(_local, "opened", 0)


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise Refused(f"{scheme or 'no'} scheme refused: only http and https links are checked")


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _dotted_quad(host: str) -> bool:
    """An IPv4 address as written canonically is its own (only) address: no resolver."""
    if not (host[:1].isdigit() and host[-1:].isdigit()):
        return False
    try:
        return str(ipaddress.IPv4Address(host)) == host
    except ValueError:
        return False


def vet(host: str, port: int, guard: Guard) -> list[tuple[int, str]]:
    """Resolve ``host`` and return (family, address) pairs it may connect to, or refuse."""
    fixed = dict(guard.resolve).get(host.lower()) or (host if _dotted_quad(host) else None)
    try:
        infos = (
            [(socket.AF_INET6 if ":" in fixed else socket.AF_INET, 0, 0, "", (fixed, port))]
            if fixed
            else socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        )
    except (socket.gaierror, UnicodeError) as exc:
        raise socket.gaierror(f"cannot resolve {host}: {exc}") from None
    allowed = guard.allow_private or f"{host.lower()}:{port}" in guard.allow
    out: list[tuple[int, str]] = []
    for family, _, _, _, addr in infos:
        address = str(addr[0])
        if not allowed and not is_public(address):
            raise Refused(
                f"{host} resolves to {address}, a private, loopback or link-local address; "
                "refused (--allow-private lifts this)"
            )
        if (family, address) not in out:
            out.append((family, address))
    return out


def _connect(conn: HTTPConnection) -> socket.socket:
    """A socket connected to a vetted address of ``conn.host`` (urllib3's errors for the
    rest), registered for the deadline."""
    host, port = conn.host, conn.port
    try:
        addresses = vet(host, port, current_guard())
    except socket.gaierror as exc:
        raise NameResolutionError(host, conn, exc) from None
    error: OSError | None = None
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        _local.opened = opened() + 1
        try:
            sock.settimeout(conn.timeout)  # type: ignore[arg-type]
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            open_sockets().append(sock)
            sock.connect((address, port))
            return sock
        except TimeoutError:
            sock.close()
            raise ConnectTimeoutError(conn, f"connecting to {host} timed out") from None
        except OSError as exc:
            sock.close()
            error = exc
    if isinstance(error, ConnectionRefusedError):
        raise ConnectionRefused(conn, f"{host}:{port} refused the connection")
    raise NewConnectionError(conn, f"cannot connect to {host}:{port}: {error}")


def _answer(conn: HTTPConnection, read: Any) -> Any:
    """``read()`` (the connection's ``getresponse``), an unreadable answer as ``BadAnswer``;
    a connection closed before any answer stays what it is (a stale kept-alive one)."""
    try:
        return read()
    except http.client.RemoteDisconnected:
        raise
    except http.client.HTTPException as exc:
        raise BadAnswer(str(exc) or type(exc).__name__) from None


class VettedHTTPConnection(HTTPConnection):
    """urllib3's connection, its socket opened only to an address ``vet`` allowed."""

    def _new_conn(self) -> socket.socket:
        return _connect(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        if self.sock is not None:  # a kept-alive connection: its socket too
            open_sockets().append(self.sock)
        super().request(*args, **kwargs)

    def getresponse(self) -> Any:  # type: ignore[override]
        return _answer(self, super().getresponse)


class VettedHTTPSConnection(HTTPSConnection):
    """The same over TLS (the certificate and host name verified with certifi's CA bundle)."""

    def _new_conn(self) -> socket.socket:
        return _connect(self)

    def connect(self) -> None:
        super().connect()
        open_sockets().append(self.sock)  # the TLS socket: the raw one is detached now

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        if self.sock is not None:
            open_sockets().append(self.sock)
        super().request(*args, **kwargs)

    def getresponse(self) -> Any:  # type: ignore[override]
        return _answer(self, super().getresponse)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = VettedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = VettedHTTPSConnection


_TLS: list[ssl.SSLContext] = []


def _tls_context() -> ssl.SSLContext:
    """Certificates and host names verified against certifi's CA bundle (made once)."""
    if not _TLS:
        _TLS.append(ssl.create_default_context(cafile=certifi.where()))
    return _TLS[0]


class Pools(urllib3.PoolManager):
    """urllib3's pools of kept-alive connections by (scheme, host, port), every connection
    opened through ``vet``; requests are sent one hop at a time (redirects are the caller's)."""

    def __init__(self, per_host: int):
        super().__init__(num_pools=512, maxsize=max(per_host, 1), block=False, retries=False)
        self.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def connection_from_host(self, host, port=None, scheme="http", pool_kwargs=None):  # type: ignore[no-untyped-def,override]
        if scheme == "https":
            pool_kwargs = {**(pool_kwargs or {}), "ssl_context": _tls_context()}
        return super().connection_from_host(host, port, scheme, pool_kwargs)
