"""requests' transport, made to connect only to vetted addresses and to keep a deadline.

``VettedAdapter`` is a requests transport adapter. For each request it resolves the URL's host
once (``address.vetted``) and takes a urllib3 pool for that *address*, with the host name given
through urllib3's public parameters: ``server_hostname`` and ``assert_hostname`` for TLS (SNI
and the certificate check stay on the name) and the ``Host`` header for HTTP. The address that
was vetted is the address connected to; DNS is not asked again in between.

A total deadline cannot be kept with socket timeouts alone: a server that sends a byte a
second never lets one expire. Each request therefore runs under a ``Watch`` (per thread); the
connections it uses register with it (``connect`` and ``request``, public methods), and one
watchdog thread shuts their sockets down when the deadline passes, which ends any read at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import parse_url

from .address import Lookups, vetted
from .policy import NetPolicy


class Watch:
    """One request's deadline and the connections it used."""

    __slots__ = ("connections", "deadline", "fired", "opened", "sockets")

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.connections: list[HTTPConnection] = []
        #: the sockets seen on those connections: http.client lets go of a connection's
        #: socket (``sock`` None) once an answer that closes it has begun, while still reading
        self.sockets: list[socket.socket] = []
        self.fired = False
        #: connections opened (not taken kept-alive from a pool) under this watch
        self.opened = 0

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


_local = threading.local()


def current() -> Watch | None:
    return getattr(_local, "watch", None)


class _Watchdog:
    """One thread for every request: it shuts down the sockets of those past their deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: dict[int, Watch] = {}
        self._thread: threading.Thread | None = None

    def start(self, watch: Watch) -> None:
        _local.watch = watch
        with self._lock:
            self._active[id(watch)] = watch
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="net-deadline", daemon=True)
                self._thread.start()

    def stop(self, watch: Watch) -> bool:
        """Stop watching; True when the deadline had fired (its sockets are shut down)."""
        _local.watch = None
        with self._lock:
            self._active.pop(id(watch), None)
            return watch.fired

    def _run(self) -> None:
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            with self._lock:  # shut down under the lock: ``stop`` sees fired or nothing done
                for key in [k for k, w in self._active.items() if w.deadline <= now]:
                    watch = self._active.pop(key)
                    watch.fired = True
                    socks = [*watch.sockets, *(c.sock for c in watch.connections if c.sock)]
                    for sock in socks:
                        with contextlib.suppress(OSError):
                            sock.shutdown(socket.SHUT_RDWR)


WATCHDOG = _Watchdog()


def _register(conn: HTTPConnection, opened: bool = False) -> None:
    """Watch ``conn`` (while it connects: its ``sock`` is read when the deadline passes) and
    the socket it has now."""
    watch = current()
    if watch is not None:
        if conn not in watch.connections:
            watch.connections.append(conn)
        if conn.sock is not None:
            watch.sockets.append(conn.sock)
        watch.opened += opened


class WatchedHTTPConnection(HTTPConnection):
    """urllib3's connection, registered with the request's ``Watch``."""

    def connect(self) -> None:
        _register(self, True)
        super().connect()
        _register(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _register(self)  # a kept-alive connection: its socket is watched for this request
        super().request(*args, **kwargs)


class WatchedHTTPSConnection(HTTPSConnection):
    """The same over TLS (the raw socket is watched from the handshake on)."""

    def connect(self) -> None:
        _register(self, True)
        super().connect()
        _register(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _register(self)
        super().request(*args, **kwargs)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


class VettedAdapter(HTTPAdapter):
    """A transport adapter whose every connection goes to an address ``vetted`` allowed."""

    def __init__(self, policy: NetPolicy):
        self.policy = policy
        self.lookups = Lookups()
        size = max(policy.connections_per_host, 1)
        super().__init__(pool_connections=512, pool_maxsize=size, max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **kw: Any):  # type: ignore[no-untyped-def,override]
        super().init_poolmanager(connections, maxsize, block=block, **kw)
        manager: PoolManager = self.poolmanager
        manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def build_connection_pool_key_attributes(  # type: ignore[override]
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        params, kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params: dict[str, Any] = dict(params)
        pool_kwargs: dict[str, Any] = dict(kwargs)
        url = request.url or ""
        parts = parse_url(url)
        host = parts.host or ""
        scheme = host_params["scheme"]
        port = parts.port or (443 if scheme == "https" else 80)
        watch = current()
        budget = watch.remaining() if watch is not None else self.policy.timeout
        name = host[1:-1] if host.startswith("[") else host
        address = vetted(url, name, port, self.policy, budget, self.lookups)
        host_params.update(host=address, port=port)
        if scheme == "https":
            pool_kwargs.update(server_hostname=name, assert_hostname=name)
        request.headers["Host"] = host if parts.port is None else f"{host}:{parts.port}"
        return host_params, pool_kwargs
