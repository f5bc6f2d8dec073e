"""The checker's HTTP transport (``http.client`` with kept-alive connections) against real
servers on 127.0.0.1: connections are reused, and one the server closed is not a broken link."""

from __future__ import annotations

import pytest
from linkserver import Servers

from feedgen_pod.linkcheck import Engine, Link, Source, Status, from_config

SRC = (Source("episodes/x.md", 3, "notes"),)


@pytest.fixture
def servers():
    s = Servers(1)
    yield s
    s.close()


def _check(servers: Servers, paths: list[str], per_host: int = 1):
    settings = from_config(
        {
            "timeout": 2,
            "retries": 0,  # a stale connection taken for a reset would show as broken
            "per_host": {"concurrency": per_host, "interval": 0},
            "allow_private_hosts": [f"127.0.0.1:{servers.port(0)}"],
        }
    )
    urls = [servers.url(0, p) for p in paths]
    return [r.status for r in Engine(settings).run([Link(u, SRC) for u in urls])]


def test_one_connection_carries_a_hosts_requests(servers):
    paths = [f"/ok?n={n}" for n in range(10)] + ["/404", "/r302", "/head405"]
    statuses = _check(servers, paths)
    assert statuses == [Status.OK] * 10 + [Status.BROKEN, Status.OK, Status.OK]
    assert len(servers.servers[0].clients) == 1


def test_a_connection_the_server_closed_is_not_a_broken_link(servers):
    paths = [p for n in range(5) for p in (f"/ok-then-close?n={n}", f"/ok?n={n}")]
    assert _check(servers, paths) == [Status.OK] * 10
    assert len(servers.servers[0].clients) >= 5


def test_at_most_per_host_connections(servers):
    _check(servers, [f"/ok?n={n}" for n in range(40)], per_host=3)
    assert len(servers.servers[0].clients) <= 3


def test_a_request_that_fails_on_a_stale_connection_is_sent_again(servers, monkeypatch):
    """Without the idle check, the closed connection is reused: the request fails on it and is
    sent once more on a new one, not reported as a reset."""
    from feedgen_pod.linkcheck import safety

    monkeypatch.setattr(safety, "_dropped", lambda sock: sock is None)
    paths = [p for n in range(3) for p in (f"/ok-then-close?n={n}", f"/ok?n={n}")]
    assert _check(servers, paths) == [Status.OK] * 6
