"""The network client against a loopback server that misbehaves on purpose: every case ends
with an answer or one ``NetError`` of the right kind, within its deadline (and a generous
margin for a loaded machine), and nothing is fetched from an address it refuses."""

from __future__ import annotations

import gzip

import pytest
from netserver import NetServer, _bomb, free_port

from feedgen_pod.net import Client, NetError, NetPolicy, clean_text, retry_after

DEADLINE = 1.0


@pytest.fixture
def srv():
    _bomb()  # made before any deadline runs
    with NetServer() as server:
        yield server


def client(srv: NetServer, **kw) -> Client:
    kw.setdefault("timeout", DEADLINE)
    kw.setdefault("backoff", 0.01)
    return Client(NetPolicy(allow_hosts=frozenset({srv.hostport}), **kw))


def failure(c: Client, url: str, method: str = "GET", **kw) -> NetError:
    """The one error a request ends in. The misbehaving servers stall or drip for far longer
    than the deadline and then close: an error of kind ``timeout`` is the deadline's."""
    with pytest.raises(NetError) as info:
        c.request(method, url, **kw)
    return info.value


def test_ok_and_gzip(srv):
    with client(srv) as c:
        assert c.request("GET", srv.url("/ok")).content == b"hello"
        feed = c.request("GET", srv.url("/gzip-feed"))
        assert feed.status == 200 and feed.content.startswith(b"<?xml")
        assert feed.headers["content-encoding"] == "gzip"  # case-insensitive


@pytest.mark.parametrize(
    "path, kind",
    [
        ("/trickle-headers", "timeout"),
        ("/trickle-body", "timeout"),
        ("/trickle-close", "timeout"),
        ("/stall", "timeout"),
        ("/stall-before", "timeout"),
        ("/truncated", "bad-response"),
        ("/bad-chunk", "bad-response"),
        ("/bad-gzip", "bad-response"),
        ("/garbage", "bad-response"),
        ("/gzip-bomb", "too-large"),
        ("/big", "too-large"),
    ],
)
def test_misbehaving_answers_end_in_one_error(srv, path, kind):
    with client(srv, max_bytes=1_000_000) as c:
        error = failure(c, srv.url(path))
    assert error.kind == kind
    assert srv.url(path) in error.message and error.url == srv.url(path)


def test_a_bad_chunk_size_is_a_bad_answer_not_a_reset_and_not_retried(srv):
    with client(srv, retries=2) as c:
        error = failure(c, srv.url("/bad-chunk"))
    assert error.kind == "bad-response" and "chunk" in error.message
    assert srv.hits["/bad-chunk"] == 1


def test_the_deadline_covers_retries_and_redirects(srv):
    """Three tries of a stalling URL would be three deadlines; one is all it gets."""
    target = srv.url("/stall")
    with client(srv, retries=5) as c:
        error = failure(c, srv.url(f"/to?url={target}"))
    assert error.kind == "timeout"


def test_partial_keeps_the_start_of_a_large_body(srv):
    with client(srv) as c:
        got = c.request("GET", srv.url("/big"), max_bytes=1000, partial=True)
    assert got.truncated and got.content == b"x" * 1000


def test_decompression_is_capped_before_it_fills_memory(srv):
    import tracemalloc

    tracemalloc.start()
    try:
        with client(srv, max_bytes=2_000_000) as c:
            assert failure(c, srv.url("/gzip-bomb")).kind == "too-large"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # the bomb is 50 MB inflated


def test_redirects_to_refused_addresses_are_not_followed(srv):
    with NetServer() as other, client(srv) as c:
        for target in ("http://169.254.169.254/latest/meta-data/", other.url("/ok")):
            error = failure(c, srv.url(f"/to?url={target}"))
            assert error.kind == "refused-address"
            assert error.url == target
        assert not other.hits  # the other local port was never asked
    with client(srv) as c:
        assert failure(c, "http://127.0.0.1:9/").kind == "refused-address"
        assert failure(c, "ftp://example.com/x").kind == "bad-scheme"
        assert failure(c, srv.url("/to?url=file:///etc/passwd")).kind == "bad-scheme"


def test_private_addresses_allowed_by_name_or_by_flag(srv):
    with NetServer() as other:
        both = frozenset({srv.hostport, other.hostport})
        with Client(NetPolicy(timeout=DEADLINE, allow_hosts=both)) as c:
            got = c.request("GET", srv.url(f"/to?url={other.url('/ok')}"))
        assert got.status == 200 and got.url == other.url("/ok")
        assert got.history == (srv.url(f"/to?url={other.url('/ok')}"),)
        with Client(NetPolicy(timeout=DEADLINE, allow_private=True)) as c:
            assert c.request("GET", other.url("/ok")).ok
            # link-local (the cloud metadata address) stays refused: only by name
            metadata = srv.url("/to?url=http://169.254.169.254/latest/meta-data/")
            assert failure(c, metadata).kind == "refused-address"


def test_resolve_maps_a_name_to_an_address_that_is_still_vetted(srv):
    name = "feed.example.test"
    policy = NetPolicy(timeout=DEADLINE, resolve={name: "127.0.0.1"})
    with Client(policy) as c:
        assert failure(c, f"http://{name}:{srv.port}/ok").kind == "refused-address"
    policy = NetPolicy(timeout=DEADLINE, resolve={name: "127.0.0.1"}, allow_hosts=frozenset({name}))
    with Client(policy) as c:
        assert c.request("GET", f"http://{name}:{srv.port}/ok").content == b"hello"
    host = srv.requests[-1][2]["host"]
    assert host == f"{name}:{srv.port}"  # the name in Host, the vetted address connected


def test_raw_utf8_location_is_read_as_utf8(srv):
    with client(srv) as c:
        got = c.request("GET", srv.url("/utf8-location"))
    assert got.status == 200 and got.url.endswith("/caf%C3%A9")
    assert srv.hits["/café"] == 1


def test_too_many_redirects(srv):
    loop = srv.url("/to?url=" + srv.url("/to?url=/ok"))  # fine: two hops
    with client(srv, max_redirects=1) as c:
        assert failure(c, loop).kind == "too-many-redirects"
    with client(srv, max_redirects=2) as c:
        assert c.request("GET", loop).content == b"hello"


def test_unreadable_retry_after_is_ignored_and_the_retry_still_bounded(srv):
    with client(srv, retries=1) as c:
        got = c.request("GET", srv.url("/retry-weird"))
    assert got.status == 200 and srv.hits["/retry-weird"] == 2
    assert retry_after("\xb2", 60) is None and retry_after("-1", 60) is None
    assert retry_after("7", 5) == 5.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 60, now=1445412470) == 10.0
    assert retry_after("Wed, 21 Oct 99999 07:28:00 GMT", 60) is None


def test_429_and_503_retried_then_returned(srv):
    with client(srv, retries=1) as c:
        assert c.request("GET", srv.url("/429-then-ok")).status == 200
        got = c.request("GET", srv.url("/503-always"))
    assert got.status == 503 and got.retry_after == 0.0
    assert srv.hits["/503-always"] == 2


def test_refused_connection_is_a_connect_error():
    port = free_port()
    policy = NetPolicy(timeout=DEADLINE, allow_private=True, retries=1, backoff=0.01)
    with Client(policy) as c:
        assert failure(c, f"http://127.0.0.1:{port}/").kind == "connect"


def test_unresolvable_name_is_a_dns_error():
    with Client(NetPolicy(timeout=5)) as c:
        assert failure(c, "http://no-such-host.invalid/").kind in ("dns", "offline")


def test_secrets_stay_with_their_origin(srv):
    with NetServer() as other:
        both = frozenset({srv.hostport, other.hostport})
        with Client(NetPolicy(timeout=DEADLINE, allow_hosts=both)) as c:
            secret = {"Authorization": "Bearer s3cret", "X-Other": "kept"}
            same = c.request("GET", srv.url("/to?url=/echo"), headers=secret)
            assert b"s3cret" in same.content
            away = c.request("GET", srv.url(f"/to?url={other.url('/echo')}"), headers=secret)
            assert b"s3cret" not in away.content and b"kept" in away.content


def test_post_redirects(srv):
    """A 307/308 re-sends the POST to its own origin only; a 302/303 becomes a GET."""
    with NetServer() as other:
        both = frozenset({srv.hostport, other.hostport})
        with Client(NetPolicy(timeout=DEADLINE, allow_hosts=both)) as c:
            form = {"hub.mode": "publish"}
            kept = c.request("POST", srv.url("/to?status=307&url=/echo"), data=form)
            assert kept.headers["X-Method"] == "POST" and b"hub.mode=publish" in kept.content
            moved = c.request("POST", srv.url("/to?status=303&url=/echo"), data=form)
            assert moved.headers["X-Method"] == "GET" and b"hub.mode" not in moved.content
            error = failure(
                c, srv.url(f"/to?status=308&url={other.url('/echo')}"), "POST", data=form
            )
            assert error.kind == "refused-address" and "another origin" in error.message
        assert not other.hits


def test_server_text_is_cleaned(srv):
    with client(srv) as c:
        got = c.request("GET", srv.url("/control"))
    assert got.status == 500 and got.reason == "Oops"
    assert clean_text(got.text) == "red body \ufffd1m <&]]>"  # 0x9b is no UTF-8
    assert clean_text("a\u202eb\r\n\tc\x9b31m") == "ab\n\tc"


def test_json_and_text(srv):
    with client(srv) as c:
        got = c.request("GET", srv.url("/ok"))
    assert got.text == "hello"
    with pytest.raises(NetError) as info:
        got.json()
    assert info.value.kind == "bad-response"


def test_head_reads_no_body_and_keeps_content_length(srv):
    with client(srv) as c:
        got = c.request("HEAD", srv.url("/big"), max_bytes=10)
    assert got.status == 200 and got.headers["Content-Length"] == "2000000"


def test_gzip_body_round_trip(srv):
    assert gzip.decompress(gzip.compress(b"x")) == b"x"  # the server's gzip is real gzip


def _certificate(tmp_path, name: str) -> tuple[str, str]:
    """A self-signed certificate (its own CA) for the DNS name ``name``: (cert, key) files."""
    import datetime

    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def test_tls_to_the_vetted_address_checks_the_certificate_against_the_name(tmp_path):
    """The connection goes to the address the check vetted; SNI and the certificate check
    stay on the host name (a certificate for another name fails, even from that address)."""
    import ssl

    name = "feed.example.test"
    cert, key = _certificate(tmp_path, name)
    other_cert, _ = _certificate(tmp_path, "other.example.test")
    seen_names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, server_name, ctx: seen_names.append(server_name)
    with NetServer() as server:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        url = f"https://{name}:{server.port}/ok"

        def policy(ca: str) -> NetPolicy:
            return NetPolicy(
                timeout=5, resolve={name: "127.0.0.1"}, allow_hosts=frozenset({name}), ca_file=ca
            )

        with Client(policy(cert)) as c:
            assert c.request("GET", url).content == b"hello"
        assert seen_names[-1] == name and server.requests[-1][2]["host"] == f"{name}:{server.port}"
        with Client(policy(other_cert)) as c:
            assert failure(c, url).kind == "tls"
