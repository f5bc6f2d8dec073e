"""The checker's HTTP transport (urllib3's pools of kept-alive connections, opened through the
address check) against real servers on 127.0.0.1: connections are reused, and one the server
closed is not a broken link."""

from __future__ import annotations

from dataclasses import replace

import pytest
from linkserver import Servers

from feedgen_pod.linkcheck import Engine, Link, Source, Status, from_config
from feedgen_pod.linkcheck.policy import net_policy

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
    from feedgen_pod.net import transport

    # urllib3 asks a pooled connection whether it is still connected before reusing it
    still = property(lambda conn: conn.sock is not None)
    monkeypatch.setattr(transport.WatchedHTTPConnection, "is_connected", still)
    paths = [p for n in range(3) for p in (f"/ok-then-close?n={n}", f"/ok?n={n}")]
    assert _check(servers, paths) == [Status.OK] * 6


@pytest.fixture
def tls_server(tmp_path):
    """An https server on 127.0.0.1 with a self-signed certificate for 127.0.0.1."""
    import datetime
    import ipaddress
    import ssl
    import threading

    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    servers = Servers(1)
    srv = servers.servers[0]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    srv.shutdown()
    srv.socket = context.wrap_socket(srv.socket, server_side=True)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield servers, cert_file
    servers.close()


def _https(servers: Servers, paths: list[str], ca_file: str | None = None):
    port = servers.port(0)
    settings = from_config(
        {"timeout": 2, "retries": 0, "allow_private_hosts": [f"127.0.0.1:{port}"]}
    )
    links = [Link(f"https://127.0.0.1:{port}{p}", SRC) for p in paths]
    policy = replace(net_policy(settings), ca_file=ca_file)
    return Engine(settings, policy=policy).run(links)


def test_https_certificate_is_verified(tls_server):
    servers, _ = tls_server
    (result,) = _https(servers, ["/ok"])
    assert result.status is Status.BROKEN and "TLS error" in result.detail
    assert "CERTIFICATE_VERIFY_FAILED" in result.detail


def test_https_with_a_trusted_certificate(tls_server):
    """The same server, its certificate trusted (``network.ca_file``): TLS, HEAD and GET over
    kept-alive connections."""
    servers, cert_file = tls_server
    results = _https(servers, ["/ok", "/404", "/head405", "/r302"], str(cert_file))
    assert [r.status for r in results] == [Status.OK, Status.BROKEN, Status.OK, Status.OK]
    assert len(servers.servers[0].clients) <= 4


def test_a_failing_worker_is_an_error_not_a_hang(servers):
    def progress(done: int, total: int) -> None:
        raise ValueError("progress display broke")

    port = servers.port(0)
    settings = from_config({"timeout": 2, "allow_private_hosts": [f"127.0.0.1:{port}"]})
    with pytest.raises(RuntimeError, match="worker failed"):
        Engine(settings, progress=progress).run([Link(servers.url(0, "/ok"), SRC)])


def test_address_literals_are_vetted_without_the_resolver(monkeypatch):
    import socket

    from feedgen_pod.net import NetError, NetPolicy
    from feedgen_pod.net.address import Lookups, vetted

    asked = []
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: asked.append(a[0]) or real(*a, **k))

    def vet(host: str) -> str:
        return vetted(f"http://{host}/", host, 80, NetPolicy(), 5.0, Lookups())

    assert vet("93.184.215.14") == "93.184.215.14"
    with pytest.raises(NetError, match="refused"):
        vet("127.0.0.2")
    assert asked == []
    # not written canonically: the resolver reads it (010 is octal there), and it is vetted
    assert vet("010.0.0.1") == "8.0.0.1"
    with pytest.raises(NetError, match="refused"):
        vet("127.1")
    assert asked == ["010.0.0.1", "127.1"]
