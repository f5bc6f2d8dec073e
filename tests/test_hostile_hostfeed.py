"""A hostile host feed (``--audio-feed``): no entities, no endless reads, one clear error."""

from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path

from hostile_kit import check_outputs, make_show, run_build

from feedgen_pod.load import hostfeed


def build_with_feed(tmp_path: Path, feed: str, *extra: str) -> tuple:
    config = make_show(tmp_path, {})
    run = run_build(config, tmp_path / "dist", "--audio-feed", feed, *extra)
    return run, check_outputs(tmp_path / "dist")


def rss(title: str, doctype: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>Host</title>'
        f'<item><title>{title}</title><guid>g1</guid><enclosure url="https://x.example/a.mp3"'
        ' length="1" type="audio/mpeg"/></item></channel></rss>'
    )


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    doctype = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    feed = tmp_path / "host.xml"
    feed.write_text(rss("A &xxe; title", doctype))
    run, files = build_with_feed(tmp_path, str(feed))
    assert run.code in (0, 1), run.stderr
    assert b"TOP-SECRET-VALUE" not in b"".join(files.values())
    assert "TOP-SECRET-VALUE" not in run.stderr


def test_an_xml_entity_bomb_is_not_expanded(tmp_path: Path) -> None:
    entities = '<!ENTITY a0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    feed = tmp_path / "host.xml"
    feed.write_text(rss("&a9;", f"<!DOCTYPE rss [{entities}]>"))
    run, files = build_with_feed(tmp_path, str(feed))
    assert run.code in (0, 1), run.stderr
    assert max(len(v) for v in files.values()) < 1_000_000


def test_a_fifo_or_huge_host_feed_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.xml")
    run, _ = build_with_feed(tmp_path / "a", str(tmp_path / "fifo.xml"))
    assert run.code == 1 and "not a regular file" in run.stderr
    big = tmp_path / "big.xml"
    with open(big, "wb") as handle:
        handle.truncate(hostfeed.MAX_BYTES + 1)
    run, _ = build_with_feed(tmp_path / "b", str(big))
    assert run.code == 1 and "MB" in run.stderr


def test_other_schemes_are_refused(tmp_path: Path) -> None:
    run, _ = build_with_feed(tmp_path, "file:///etc/passwd")
    assert run.code == 1 and "only http(s)" in run.stderr


class _Drip(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(200):  # bounded: 200 bytes over at most 20 s
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


def test_a_slow_drip_server_meets_the_deadline(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
        run, files = build_with_feed(tmp_path, url, "--timeout", "1", "--allow-private")
        assert run.code == 1 and "no complete answer within" in run.stderr, run.stderr
        assert "host-feed-unreachable" in run.stderr
        assert "feed.xml" in files
    finally:
        server.shutdown()
        server.server_close()
