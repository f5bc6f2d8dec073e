"""Where the checker may connect: http(s) only, public addresses only, checked at the socket.

The link checker runs in CI next to secrets, and URLs come from pull requests by strangers, so
a link (or a redirect, or a DNS name) must not make it talk to the machine's own network. The
check happens when the socket is opened: the name is resolved here, every address is vetted,
and the socket connects to a vetted address, so a DNS answer cannot change in between.
Proxies from the environment are ignored for the same reason.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as u3conn

SCHEMES = frozenset({"http", "https"})


class Refused(Exception):
    """A URL the checker will not fetch; not an OSError so urllib3 does not retry or wrap it."""


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


def vet(host: str, port: int, guard: Guard) -> list[tuple[int, str]]:
    """Resolve ``host`` and return (family, address) pairs it may connect to, or refuse."""
    fixed = dict(guard.resolve).get(host.lower())
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


class _SafeConnectionMixin:
    """Open the socket to a vetted address of the host, and register it for the deadline."""

    def _new_conn(self) -> socket.socket:  # type: ignore[override]
        host, port = self._dns_host, self.port  # type: ignore[attr-defined]
        try:
            addresses = vet(host, port, current_guard())
        except socket.gaierror as exc:
            raise NameResolutionError(host, self, exc) from exc  # type: ignore[arg-type]
        error: Exception | None = None
        for _family, address in addresses:
            try:
                sock = u3conn.create_connection(
                    (address, port),
                    self.timeout,  # type: ignore[attr-defined]
                    socket_options=self.socket_options,  # type: ignore[attr-defined]
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(self, f"connection to {host} timed out") from exc
            except OSError as exc:
                error = exc
                continue
            open_sockets().append(sock)
            return sock
        raise NewConnectionError(self, f"cannot connect to {host}:{port}: {error}") from error  # type: ignore[arg-type]

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """A reused keep-alive socket is registered too, so the deadline can close it."""
        sock = getattr(self, "sock", None)
        if sock is not None:
            open_sockets().append(sock)
        return super().request(*args, **kwargs)  # type: ignore[misc]


class SafeHTTPConnection(_SafeConnectionMixin, HTTPConnection):
    pass


class SafeHTTPSConnection(_SafeConnectionMixin, HTTPSConnection):
    pass


class _SafeHTTPPool(HTTPConnectionPool):
    ConnectionCls = SafeHTTPConnection


class _SafeHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = SafeHTTPSConnection

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        import certifi  # the CA bundle requests used; imported for the first https host only

        kwargs["cert_reqs"] = "CERT_REQUIRED"
        kwargs["ca_certs"] = kwargs.get("ca_certs") or certifi.where()
        super().__init__(*args, **kwargs)


def session(pool_size: int) -> PoolManager:
    """Connection pools whose every connection goes through ``vet``. urllib3 alone (no
    requests: its import and per-request work cost more than the whole check of a link to a
    nearby host); it never reads proxies from the environment."""
    manager = PoolManager(num_pools=64, maxsize=max(pool_size, 10), retries=False)
    manager.pool_classes_by_scheme = {"http": _SafeHTTPPool, "https": _SafeHTTPSPool}
    manager.key_fn_by_scheme = dict(manager.key_fn_by_scheme)
    return manager
