"""Artwork in ``check-links``: a loopback server serves real image bytes made with Pillow (a
square 1400 px JPEG, a 500 px PNG, a wide JPEG, a GIF, an HTML page where art should be, a 404)
and the checker reports exactly the covers Apple would refuse and the pictures that are not
images, each at its file, line and field with a kind; a server that ignores ``Range`` still
costs no more than the checker reads."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator

import pytest
from PIL import Image

from feedgen_pod.linkcheck import Engine, Link, Source, Status, from_config
from feedgen_pod.linkcheck.artwork import COVER, PICTURE, PREFIX_BYTES, judge, role_of


def image_bytes(kind: str, width: int, height: int, **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, kind, **save)
    return out.getvalue()


PAYLOADS = {
    "/cover.jpg": image_bytes("JPEG", 1400, 1400),
    "/small.png": image_bytes("PNG", 500, 500),
    "/wide.jpg": image_bytes("JPEG", 1600, 900),
    "/anim.gif": image_bytes("GIF", 1500, 1500),
    "/page.jpg": b"<!doctype html><html><body>Not found, but 200</body></html>",
    # a big file behind a server that ignores Range: only the first bytes are read
    "/big.png": image_bytes("PNG", 2000, 2000, compress_level=0),
}


class _Images(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.ranges: dict[str, str | None] = {}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Images

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self.server.ranges[self.path] = self.headers.get("Range")
        self._answer()

    def _answer(self) -> None:
        body = PAYLOADS.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)  # Range is ignored on purpose: the whole file is offered
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def images() -> Iterator[_Images]:
    server = _Images()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def check(server: _Images, links: dict[str, tuple[Source, ...]]) -> dict[str, object]:
    port = server.server_address[1]
    settings = from_config(
        {"timeout": 3, "retries": 0, "allow_private_hosts": [f"127.0.0.1:{port}"]}
    )
    base = f"http://127.0.0.1:{port}"
    results = Engine(settings).run([Link(base + path, src) for path, src in links.items()])
    return {r.url.removeprefix(base): r for r in results}


SHOW = (Source("config/podcast.yaml", 12, "image"),)
EPISODE = (Source("episodes/a.md", 7, "image"),)
PERSON = (Source("people/guest.md", 5, "picture"),)
NOTES = (Source("episodes/a.md", 40, "notes"),)


def test_covers_apple_refuses_and_pictures_that_are_no_images(images: _Images) -> None:
    results = check(
        images,
        {
            "/cover.jpg": SHOW,
            "/small.png": EPISODE,
            "/wide.jpg": (Source("episodes/b.md", 8, "image"),),
            "/anim.gif": (Source("episodes/c.md", 9, "image"),),
            "/page.jpg": PERSON,
            "/missing.jpg": (Source("people/other.md", 4, "picture"),),
            "/big.png": EPISODE,
        },
    )
    found = {path: (r.status, r.kind, r.sources[0].line) for path, r in results.items()}
    assert found == {
        "/cover.jpg": (Status.OK, "", 12),
        "/small.png": (Status.BROKEN, "artwork-size", 7),
        "/wide.jpg": (Status.BROKEN, "artwork-not-square", 8),
        "/anim.gif": (Status.BROKEN, "artwork-format", 9),
        "/page.jpg": (Status.BROKEN, "artwork-not-image", 5),
        "/missing.jpg": (Status.BROKEN, "", 4),
        "/big.png": (Status.OK, "", 7),
    }
    assert "500×500 px" in results["/small.png"].detail
    assert results["/page.jpg"].detail.startswith("picture: not an image")
    assert images.ranges["/big.png"] == f"bytes=0-{PREFIX_BYTES - 1}"


def test_an_image_linked_only_from_notes_is_a_plain_link(images: _Images) -> None:
    """Only the artwork fields are read as images: a small image in the notes is fine."""
    images.ranges.clear()
    results = check(images, {"/small.png": NOTES})
    assert results["/small.png"].status is Status.OK
    assert "/small.png" not in images.ranges  # one HEAD, no GET of its bytes


def test_the_strictest_role_wins_and_people_pictures_need_no_size() -> None:
    assert role_of(PERSON + SHOW) == COVER and role_of(PERSON) == PICTURE
    assert role_of(NOTES) is None
    assert judge(PICTURE, image_bytes("PNG", 120, 90)) is None
    assert judge(PICTURE, image_bytes("WEBP", 64, 64)) is None
    assert judge(COVER, image_bytes("WEBP", 1400, 1400)).kind == "artwork-format"
    assert judge(COVER, image_bytes("PNG", 3000, 3000)) is None
    assert judge(COVER, image_bytes("PNG", 3001, 3001)).kind == "artwork-size"
    cut = judge(COVER, image_bytes("JPEG", 1400, 1400)[:20])
    assert cut is not None and not cut.broken  # too few bytes to tell: unverifiable


def png_header(width: int, height: int) -> bytes:
    """A real 1×1 PNG whose header claims ``width`` × ``height`` pixels (its CRC made right)."""
    import struct
    import zlib

    data = bytearray(image_bytes("PNG", 1, 1))
    data[16:24] = struct.pack(">II", width, height)  # IHDR's data starts at byte 16
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def test_an_image_claiming_too_many_pixels_is_a_finding_and_prints_nothing() -> None:
    """Pillow warns (on stderr) above its pixel limit and raises above twice that: both are
    an ``artwork-size`` finding, and nothing reaches stderr, with Python's default warnings."""
    import subprocess
    import sys

    script = (
        "import sys; from feedgen_pod.linkcheck.artwork import COVER, judge\n"
        "for side in (10_000, 20_000):\n"
        "    found = judge(COVER, bytes.fromhex(sys.argv[side // 10_000]))\n"
        "    print(found.kind, found.broken)\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "default", "-c", script,
         png_header(10_000, 10_000).hex(), png_header(20_000, 20_000).hex()],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert run.stdout.split("\n")[:2] == ["artwork-size True", "artwork-size True"]
    assert run.stderr == ""
