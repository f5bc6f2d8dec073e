"""HEAD first, GET to confirm only when needed: a HEAD 404 is believed from a host that has
answered some HEAD with 2xx in this run; before that it waits at the back of its host's queue
and is then believed (no request) or confirmed with a GET. Real servers on 127.0.0.1, with every
request counted."""

from __future__ import annotations

import pytest
from linkserver import Servers

from feedgen_pod.linkcheck import Engine, Link, Source, Status, from_config

SRC = (Source("episodes/x.md", 3, "notes"),)


@pytest.fixture
def servers():
    s = Servers(2)
    yield s
    s.close()


def _check(servers: Servers, urls: list[str], per_host: int = 4, **links):
    allowed = [f"127.0.0.1:{servers.port(i)}" for i in range(len(servers.servers))]
    settings = from_config(
        {
            "timeout": 2,
            "retries": 0,
            "per_host": {"concurrency": per_host, "interval": 0},
            "allow_private_hosts": allowed,
            **links,
        }
    )
    return {r.url: r for r in Engine(settings).run([Link(u, SRC) for u in urls])}


def _requests(servers: Servers, i: int, path: str) -> list[str]:
    return [method for _, method, p in servers.servers[i].log if p == path]


def test_real_404_from_a_host_that_answers_head_needs_no_get(servers):
    """The 404 is asked first, before any 2xx: it waits, and is then believed."""
    urls = [servers.url(0, "/404")] + [servers.url(0, f"/ok?n={n}") for n in range(8)]
    got = _check(servers, urls)
    assert got[urls[0]].status is Status.BROKEN and got[urls[0]].http_status == 404
    assert all(got[u].status is Status.OK for u in urls[1:])
    assert _requests(servers, 0, "/404") == ["HEAD"]
    assert _requests(servers, 0, "/ok") == ["HEAD"] * 8


def test_one_at_a_time_the_404_waits_behind_the_hosts_other_links(servers):
    urls = [servers.url(0, "/410"), servers.url(0, "/ok"), servers.url(0, "/404")]
    got = _check(servers, urls, per_host=1)
    assert [got[u].status for u in urls] == [Status.BROKEN, Status.OK, Status.BROKEN]
    assert _requests(servers, 0, "/410") == ["HEAD"]
    assert _requests(servers, 0, "/404") == ["HEAD"]


def test_host_whose_every_head_is_404_is_not_reported_broken(servers):
    """HEAD 404 for everything, GET 200: no false broken; each HEAD 404 is confirmed by GET."""
    servers.servers[1].head_404 = True
    paths = ["/ok", "/watch", "/r302", "/404"]
    urls = [servers.url(1, p) for p in paths] + [servers.url(0, "/ok")]
    got = _check(servers, urls)
    assert got[servers.url(1, "/ok")].status is Status.OK
    assert got[servers.url(1, "/watch")].status is Status.OK
    assert got[servers.url(1, "/r302")].status is Status.OK  # 302 to /ok, both confirmed
    assert got[servers.url(1, "/404")].status is Status.BROKEN  # GET agrees: really gone
    assert _requests(servers, 1, "/ok").count("GET") == 2  # the link, and the redirect's target
    assert _requests(servers, 1, "/watch") == ["HEAD", "GET"]
    # another host proving HEAD does not make this one's 404s believed
    assert got[servers.url(0, "/ok")].status is Status.OK


def test_a_single_link_to_a_head_404_host_is_confirmed(servers):
    servers.servers[1].head_404 = True
    url = servers.url(1, "/ok")
    assert _check(servers, [url])[url].status is Status.OK
    assert _requests(servers, 1, "/ok") == ["HEAD", "GET"]


def test_host_ruled_get_only_never_sends_head(servers):
    url = servers.url(0, "/404")
    hosts = {"127.0.0.1": {"concurrency": 2, "interval": 0, "head": False}}
    got = _check(servers, [url, servers.url(0, "/ok")], hosts=hosts)
    assert got[url].status is Status.BROKEN
    assert _requests(servers, 0, "/404") == ["GET"]
