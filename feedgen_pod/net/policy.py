"""What a command allows its requests: deadline, addresses, sizes, redirects, retries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlsplit

from .. import __version__

USER_AGENT = f"feedgen-pod/{__version__} (+https://github.com/DataTalksClub/feedgen-pod)"
#: the deadline of a request when neither ``--timeout`` nor ``network.timeout`` says otherwise
DEFAULT_TIMEOUT = 30.0
#: the only schemes fetched
SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class NetPolicy:
    """One command's limits; ``Client`` applies them to every request (a call may narrow the
    deadline and the byte cap)."""

    #: total seconds per request: connecting, headers, body, every redirect and retry
    timeout: float = DEFAULT_TIMEOUT
    #: True only with ``--allow-private``: private and loopback addresses too (link-local
    #: ones, like the cloud metadata address 169.254.169.254, only by name)
    allow_private: bool = False
    #: ``host:port`` (or ``host``) allowed although private or loopback (tests, config)
    allow_hosts: frozenset[str] = frozenset()
    #: cap on the body, after decompression
    max_bytes: int = 10_000_000
    max_redirects: int = 10
    #: further tries after a 429 or 503 answer or a failed connection
    retries: int = 2
    #: the longest wait a ``Retry-After`` is honoured for
    retry_after_cap: float = 60.0
    #: the first wait between two tries without ``Retry-After`` (doubled each time)
    backoff: float = 1.0
    user_agent: str = USER_AGENT
    #: host name → IP address used instead of DNS, like curl's ``--resolve`` (tests,
    #: benchmarks); the address is still vetted
    resolve: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: kept-alive connections per host (a command with more threads per host sets it higher)
    connections_per_host: int = 10
    #: seconds to connect and between two reads, within the deadline (None: the deadline)
    idle_timeout: float | None = None
    #: a CA bundle (PEM) to verify certificates with instead of certifi's
    ca_file: str | None = None

    def allows(self, host: str, port: int) -> bool:
        """Whether ``host`` is allowed by name although private, loopback or link-local."""
        host = host.lower()
        return f"{host}:{port}" in self.allow_hosts or host in self.allow_hosts


def policy_for(
    section: Mapping[str, object] | None = None,
    timeout: float | None = None,
    allow_private: bool = False,
    **more: object,
) -> NetPolicy:
    """The policy of a command: the config's ``network:`` section (checked by the config
    loader), then its ``--timeout`` and ``--allow-private``, then what the command sets."""
    section = section or {}
    values: dict[str, object] = {
        "timeout": timeout if timeout is not None else section.get("timeout", DEFAULT_TIMEOUT),
        "allow_private": allow_private or bool(section.get("allow_private", False)),
        "allow_hosts": frozenset(section.get("allow_hosts", ())),  # type: ignore[call-overload]
        "ca_file": section.get("ca_file"),
    }
    values.update(more)
    return NetPolicy(**values)  # type: ignore[arg-type]


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (the scheme's default when none is written) of ``url``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port
