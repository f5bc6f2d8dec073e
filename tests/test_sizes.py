"""``audio.length`` when the front matter has none: the media file, the sizes file that
``feedgen-pod sizes`` fills (one HEAD a URL, against a real server on loopback), else 0 with a
warning."""

from __future__ import annotations

import http.server
import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from feedgen_pod.cli import main

CONFIG = """\
title: Sized
description: A show whose files give no sizes.
site_url: https://example.org
feed_url: https://example.org/feed.xml
base_url: https://example.org/feedgen
language: en
author: A
owner_name: A
owner_email: a@example.org
image: https://example.org/cover.jpg
categories: [Technology]
preset: flat
episodes_dir: episodes
media_dir: media
"""


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.server.counts[self.path] += 1
        if self.path.startswith("/missing"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
        else:
            self.send_response(200)
            self.send_header("Content-Length", "12345")
        self.end_headers()


class _Server(http.server.ThreadingHTTPServer):
    counts: Counter


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.counts = Counter()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _site(tmp_path: Path, base: str) -> Path:
    (tmp_path / "episodes").mkdir()
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "local.mp3").write_bytes(b"x" * 777)
    files = {
        "1.md": f"file: {base}/a.mp3\nlength: 100",
        "2.md": f"file: {base}/b.mp3",
        "3.md": f"file: {base}/missing.mp3",
        "4.md": f"file: {base}/local.mp3",
    }
    for name, fields in files.items():
        text = f"---\ntitle: Episode {name[0]}\ndate: 2024-05-0{name[0]}\n{fields}\n---\nNotes.\n"
        (tmp_path / "episodes" / name).write_text(text)
    config = tmp_path / "feedgen-pod.yaml"
    config.write_text(CONFIG)
    return config


def _lengths(feed: Path) -> dict[str, str]:
    root = etree.parse(str(feed)).getroot()
    return {e.get("url").rsplit("/", 1)[1]: e.get("length") for e in root.iter("enclosure")}


def test_sizes_asks_each_url_once_and_the_build_uses_the_answers(
    tmp_path: Path, server: _Server, capsys
) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = _site(tmp_path, base)
    args = ["sizes", "--config", str(config), "--allow-private", "--interval", "0"]
    assert main(args) == 1  # one URL has no size to give
    assert server.counts == Counter({"/b.mp3": 1, "/missing.mp3": 1})
    cached = json.loads((tmp_path / ".cache" / "feedgen-pod" / "sizes.json").read_text())
    assert cached == {f"{base}/b.mp3": 12345}
    assert "missing.mp3: the server answered 404" in capsys.readouterr().err

    main(args)  # what is known is not asked again
    assert server.counts == Counter({"/b.mp3": 1, "/missing.mp3": 2})
    capsys.readouterr()

    out = tmp_path / "dist"
    main(["build", "--config", str(config), "--out", str(out)])
    err = capsys.readouterr().err
    assert _lengths(out / "feed.xml") == {
        "a.mp3": "100",
        "b.mp3": "12345",
        "missing.mp3": "0",
        "local.mp3": "777",
    }
    assert err.count("size is not known") == 1 and "episodes/3.md" in err


def test_sizes_refuses_loopback_unless_allowed(tmp_path: Path, server: _Server) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = _site(tmp_path, base)
    assert main(["sizes", "--config", str(config), "--interval", "0"]) == 1
    assert not server.counts  # nothing was sent
