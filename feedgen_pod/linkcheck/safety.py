"""Where the checker may connect: http(s) only, public addresses only, checked at the socket.

The link checker runs in CI next to secrets, and URLs come from pull requests by strangers, so
a link (or a redirect, or a DNS name) must not make it talk to the machine's own network. The
check happens when the socket is opened: the name is resolved here, every address is vetted,
and the socket connects to a vetted address, so a DNS answer cannot change in between.
Proxies from the environment are ignored for the same reason.
"""

from __future__ import annotations

import ipaddress
import select
import socket
import threading
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .http1 import Connection

SCHEMES = frozenset({"http", "https"})


class Refused(Exception):
    """A URL the checker will not fetch; not an OSError, so never taken for a network error."""


class Guard(NamedTuple):
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
    """Sockets opened by this thread for the current request (the deadline closes them)."""
    if not hasattr(_local, "sockets"):
        _local.sockets = []
    return _local.sockets


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
    """An IPv4 address as written canonically is its own (only) address: no resolver, nor the
    IDNA codec ``getaddrinfo`` runs every name through (≈1.5 ms to load for the first)."""
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


class ConnectFailed(OSError):
    """No vetted address of the host accepted a connection (other than refused or timed out)."""


def _open(host: str, port: int, timeout: float | None) -> socket.socket:
    """A socket connected to a vetted address of ``host``, registered for the deadline."""
    addresses = vet(host, port, current_guard())
    error: OSError | None = None
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            open_sockets().append(sock)
            sock.connect((address, port))
            return sock
        except TimeoutError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            error = exc
    if isinstance(error, ConnectionRefusedError):
        raise error
    raise ConnectFailed(f"cannot connect to {host}:{port}: {error}") from error


def _open_tls(host: str, port: int, timeout: float | None) -> socket.socket:
    """``_open``, then TLS with the certificate and host name verified."""
    raw = _open(host, port, timeout)
    try:
        tls = _tls_context().wrap_socket(raw, server_hostname=host, do_handshake_on_connect=False)
    except BaseException:
        raw.close()
        raise
    open_sockets().append(tls)  # the raw socket is detached now: the deadline closes this
    try:
        tls.do_handshake()
    except BaseException:
        tls.close()
        raise
    return tls  # type: ignore[no-any-return]


_TLS: list[Any] = []


def _tls_context() -> Any:
    """Certificates and host names verified against certifi's CA bundle (made once)."""
    if not _TLS:
        import ssl  # imported for the first https link only, like certifi

        import certifi  # the CA bundle

        _TLS.append(ssl.create_default_context(cafile=certifi.where()))
    return _TLS[0]


_Key = tuple[str, str, int]


def _dropped(sock: socket.socket | None) -> bool:
    """An idle kept-alive socket the server has closed (or sent stray bytes on)."""
    if sock is None:
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


class Session:
    """Kept-alive connections by (scheme, host, port): taken for one request, given back when
    the answer was read to its end. Every new connection goes through ``vet``."""

    def __init__(self, per_host: int):
        self.per_host = max(per_host, 1)
        self._idle: dict[_Key, list[Connection]] = {}
        self._lock = threading.Lock()

    def take(self, scheme: str, host: str, port: int, timeout: float) -> tuple[Connection, bool]:
        """A connection (not yet connected when new) and whether it is a reused one."""
        key = (scheme, host, port)
        while True:
            with self._lock:
                idle = self._idle.get(key)
                conn = idle.pop() if idle else None
            if conn is None:
                break
            if _dropped(conn.sock):
                conn.close()
                continue
            conn.timeout = timeout
            conn.sock.settimeout(timeout)  # type: ignore[union-attr]
            return conn, True
        return self.new(scheme, host, port, timeout), False

    @staticmethod
    def new(scheme: str, host: str, port: int, timeout: float) -> Connection:
        if scheme == "https":
            return Connection(host, port, 443, timeout, _open_tls)
        return Connection(host, port, 80, timeout, _open)

    def give(self, scheme: str, host: str, port: int, conn: Connection) -> None:
        with self._lock:
            idle = self._idle.setdefault((scheme, host, port), [])
            if len(idle) < self.per_host:
                idle.append(conn)
                return
        conn.close()

    def clear(self) -> None:
        with self._lock:
            conns = [c for idle in self._idle.values() for c in idle]
            self._idle.clear()
        for conn in conns:
            conn.close()


def session(pool_size: int) -> Session:
    """Connection pools whose every connection goes through ``vet``: our own HTTP/1.1
    (``http1``; urllib3's and requests' layers cost more start-up and CPU a request than the
    whole check of a link to a nearby host); proxies from the environment are never read."""
    return Session(pool_size)
