"""Where a request may connect: a host name resolved once, each address vetted.

A request's URL (or a redirect, or a DNS answer) must not make a command talk to the machine's
own network: it runs in CI next to secrets, and URLs come from pull requests by strangers.
``vetted`` resolves the host once, refuses it when any of its addresses is private, loopback,
link-local or multicast (unless the policy allows the host), and returns the address the
transport then connects to: the check is on the address actually used.

The lookup runs in a thread of its own, waited for no longer than the request's deadline: a
name server that never answers holds no command.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import time
from functools import lru_cache

from .errors import NetError
from .policy import NetPolicy

#: seconds a lookup's answer is reused by one client
TTL = 60.0


class Lookups:
    """One client's lookups: a name's addresses, kept for ``TTL`` seconds (a command asks the
    resolver once per host, not once per request)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: dict[tuple[str, int], tuple[float, list[str]]] = {}

    def get(self, key: tuple[str, int]) -> list[str] | None:
        with self._lock:
            hit = self._found.get(key)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def put(self, key: tuple[str, int], addresses: list[str]) -> None:
        with self._lock:
            self._found[key] = (time.monotonic() + TTL, addresses)


#: ``getaddrinfo`` errors that mean no name server could be asked (no network), as opposed to
#: one that answered that the name does not exist
_OFFLINE_EAI = {
    getattr(socket, name)
    for name in ("EAI_AGAIN", "EAI_FAIL", "EAI_SYSTEM")
    if hasattr(socket, name)
}
#: ``connect`` errors that mean this machine has no route at all
OFFLINE_ERRNO = frozenset({errno.ENETUNREACH, errno.ENETDOWN})


@lru_cache(maxsize=4096)
def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address, an IPv4-mapped IPv6 one as its IPv4 address."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def is_public(address: str) -> bool:
    """True for a globally routable unicast address."""
    ip = _ip(address)
    return ip.is_global and not ip.is_multicast


def is_link_local(address: str) -> bool:
    """169.254.0.0/16 and fe80::/10: where cloud machines answer with their credentials
    (169.254.169.254), refused even with ``--allow-private``, allowed only by name."""
    return _ip(address).is_link_local


@lru_cache(maxsize=4096)
def _literal(host: str) -> str | None:
    """The address when ``host`` is an IP address written as one (no lookup needed)."""
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not bare or not (bare[0].isdigit() or ":" in bare):
        return None
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        return None


def _lookup(url: str, host: str, port: int, timeout: float, lookups: Lookups) -> list[str]:
    """Every address of ``host``, from a lookup that may take at most ``timeout`` seconds."""
    key = (host, port)
    hit = lookups.get(key)
    if hit is not None:
        return hit
    box: list[object] = []
    done = threading.Event()

    def ask() -> None:
        try:
            box.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            box.append(exc)
        done.set()

    threading.Thread(target=ask, name="net-lookup", daemon=True).start()
    if not done.wait(max(timeout, 0.0)):
        raise NetError(url, "timeout", f"{url}: looking up {host} took longer than {timeout:g} s")
    got = box[0]
    if isinstance(got, socket.gaierror) and got.errno in _OFFLINE_EAI:
        raise NetError(
            url, "offline", f"{url}: no name server answered for {host} (network unreachable?)"
        )
    if isinstance(got, Exception):
        raise NetError(url, "dns", f"{url}: the host name {host} does not resolve")
    addresses: list[str] = []
    for _family, _, _, _, addr in got:  # type: ignore[attr-defined]
        address = str(addr[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise NetError(url, "dns", f"{url}: the host name {host} has no address")
    lookups.put(key, addresses)
    return addresses


def vetted(
    url: str, host: str, port: int, policy: NetPolicy, timeout: float, lookups: Lookups
) -> str:
    """The address to connect to for ``host``, or ``NetError`` (``refused-address``, ``dns``,
    ``offline``, ``timeout``). Every address of the host is vetted, not only the one used:
    a name that points at both a public and a private address is refused."""
    name = host.lower().rstrip(".")
    fixed = policy.resolve.get(name) or _literal(name)
    addresses = [fixed] if fixed else _lookup(url, name, port, timeout, lookups)
    if policy.allows(name, port):
        return addresses[0]
    for address in addresses:
        if is_public(address) or (policy.allow_private and not is_link_local(address)):
            continue
        what = host if address == fixed else f"{host} is {address}, which"
        if is_link_local(address):
            why = "a link-local address (where cloud machines keep their credentials); refused"
        else:
            why = "a private or loopback address; refused (--allow-private lifts this)"
        raise NetError(url, "refused-address", f"{url}: {what} is {why}")
    return addresses[0]
