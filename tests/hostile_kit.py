"""A throwaway show on disk, a build through the real CLI, and checks every output must pass.

Shared by the hostile-input tests, the hypothesis properties and ``fuzz/fuzz_build.py``: each
writes a small show into a temporary folder, builds it with ``feedgen_pod.cli.main`` and then
parses every file in ``dist/`` with the consumer that reads it (lxml and feedparser for XML,
webvtt-py for VTT, srt for SRT, json for JSON, lxml for HTML).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import traceback
import zlib
from dataclasses import dataclass
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import srt
import webvtt

#: text that has broken, or could break, some consumer of our files (parsers, players, pages)
HOSTILE_TEXTS = [
    "-->",
    "</script>",
    "<![CDATA[",
    "]]>",
    "&",
    "<v Evil>",
    "**x**",
    "[a](javascript:x)",
    "<img src=x onerror=alert(1)>",
    "\u202e",
    "🎙️",
    "مرحبا",
    "\x00",
    "\x1b",
    "\ufeff",
    "\ufffe",
    "---",
    "\r\n",
    "\t",
    "{slug}",
    "../",
    "&amp;",
    "<v Host>",
    "<b>",
    "**bold**",
    "[x](javascript:alert(1))",
    "'",
    '"',
    ":",
    "- ",
    "#",
    "{",
    "}",
    "|",
    ">",
    "\\",
    "\r",
    "\n",
    "%s",
]

CONFIG = """\
title: Hostile Show
description: A show built from hostile input.
site_url: https://example.org
feed_url: https://example.org/podcast/feed.xml
base_url: https://example.org/podcast
language: en
author: Example
owner_name: Owner
owner_email: owner@example.org
image: https://example.org/cover.jpg
categories: [Technology]
hosts: [host]
episodes_dir: episodes
people_dir: people
"""

HOST = "---\ntitle: Host Person\npicture: images/host.jpg\ngithub: host\n---\nThe host.\n"
GUEST = "---\ntitle: Guest Person\nlinkedin: guest\n---\nA guest.\n"

GOOD = """\
---
title: A good episode
short: Good
season: 1
episode: 1
guests: [guest]
date: 2024-01-02
audio:
  url: https://cdn.example.org/good.mp3
  length: 12345
  type: audio/mpeg
  duration: 600
transcript:
- header: Introduction
- line: Hello and welcome to the show.
  sec: 0
  who: Host
- line: Thanks for having me here today.
  sec: 5
  who: Guest
- header: The story
- line: Let us talk about data and careers.
  sec: 12
  who: Host
---
Show notes with **bold** and a [link](https://example.org/).
"""

#: the slug of ``GOOD`` when written as ``good.md``
GOOD_SLUG = "good"


def episode(
    front: str,
    body: str = "Notes.\n",
    transcript: str | None = None,
    audio: bool = True,
) -> str:
    """An episode file: ``front`` is extra YAML (it may override the defaults by repeating)."""
    parts = ["---"]
    parts.append(front.rstrip("\n"))
    if audio and "audio:" not in front:
        # an audio URL of its own: two items sharing one is an error (Apple drops one)
        url = f"https://cdn.example.org/x-{zlib.crc32((front + body).encode()):08x}.mp3"
        parts.append(f"audio:\n  url: {url}\n  length: 100\n  duration: 900")
    if transcript is not None:
        parts.append(transcript.rstrip("\n"))
    parts.append("---")
    return "\n".join(parts) + "\n" + body


def make_show(
    root: Path,
    episodes: dict[str, str | bytes],
    people: dict[str, str | bytes] | None = None,
    config: str = CONFIG,
    good: bool = True,
) -> Path:
    """Write a show under ``root``; returns the config path. ``good`` adds ``good.md``."""
    (root / "config").mkdir(parents=True, exist_ok=True)
    (root / "episodes").mkdir(exist_ok=True)
    (root / "people").mkdir(exist_ok=True)
    config_path = root / "config" / "podcast.yaml"
    config_path.write_text(config, encoding="utf-8")
    files = dict(episodes)
    if good:
        files.setdefault("good.md", GOOD)
    for name, data in files.items():
        _write(root / "episodes" / name, data)
    for name, data in {"host.md": HOST, "guest.md": GUEST, **(people or {})}.items():
        _write(root / "people" / name, data)
    return config_path


def _write(path: Path, data: str | bytes) -> None:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    dist: Path

    def problems_for(self, name: str) -> list[str]:
        return [line for line in self.stderr.splitlines() if name in line]


def run_build(config: Path, out: Path, *extra: str) -> Run:
    """``feedgen-pod build`` in-process; an exception escaping ``main`` fails with its traceback."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        from feedgen_pod.cli import main

        try:
            code = main(["build", "--config", str(config), "--out", str(out), *extra])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
        except BaseException:
            raise AssertionError("traceback escaped the CLI:\n" + traceback.format_exc()) from None
    assert "Traceback" not in stderr.getvalue(), stderr.getvalue()
    return Run(code, stdout.getvalue(), stderr.getvalue(), out)


def check_outputs(dist: Path) -> dict[str, bytes]:
    """Parse every output with its consumer; returns relative path → bytes. Raises on failure."""
    files: dict[str, bytes] = {}
    if not dist.exists():
        return files
    root = dist.resolve()
    for path in sorted(dist.rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(dist).as_posix()
        assert path.resolve().is_relative_to(root), f"{rel} escapes dist/"
        assert not (path.name.startswith(".") and path.name.endswith(".tmp")), (
            f"half-written temporary file left: {rel}"
        )
        data = path.read_bytes()
        files[rel] = data
        try:
            check_file(rel, data)
        except Exception as exc:
            raise AssertionError(f"{rel} is not well-formed: {exc!r}") from exc
    return files


#: a section header or ``key=value`` with ``= ; # \\`` and newlines escaped, as FFmpeg reads it
FFMETA_LINE = re.compile(r"^(\[(CHAPTER|STREAM)\]|[A-Za-z_]+=(?:[^=;#\\\n]|\\.)*)$", re.S)


def ffmeta_lines(text: str) -> list[str]:
    """Split as FFmpeg's ffmetadata reader does: at a newline not escaped by a backslash."""
    lines, current, i = [], [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if text[i] == "\n":
            lines.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    return [*lines, "".join(current)]


def check_file(rel: str, data: bytes) -> None:
    name = rel.rsplit("/", 1)[-1]
    if name.endswith(".xml"):
        lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False))
        if name == "feed.xml":
            parsed = feedparser.parse(data)
            assert not parsed.bozo, parsed.get("bozo_exception")
        return
    text = data.decode("utf-8")  # every output is UTF-8
    if name.endswith(".vtt"):
        assert text.startswith("WEBVTT")
        webvtt.from_string(text)
        for line in text.split("\n"):
            if "-->" in line:
                assert re.match(
                    r"^(\d{2,}:)?\d{2}:\d{2}\.\d{3} --> (\d{2,}:)?\d{2}:\d{2}\.\d{3}", line
                ), f"'-->' outside a timing line: {line[:80]!r}"
    elif name.endswith(".srt"):
        list(srt.parse(text))
    elif name.endswith((".json", ".jsonld")):
        json.loads(text, parse_constant=_refuse_constant)
    elif name.endswith(".html"):
        check_html(text)
    elif name.endswith(".ffmeta"):
        assert text.startswith(";FFMETADATA1\n")
        for line in ffmeta_lines(text)[1:]:
            assert not line or FFMETA_LINE.match(line), f"ffmetadata line {line[:80]!r}"
    elif name == "chapters.txt":
        for line in text.rstrip("\n").split("\n"):
            assert re.match(r"^(\d+:)?\d{1,2}:\d{2} \S", line), f"chapter line {line[:80]!r}"


def _refuse_constant(name: str) -> None:
    raise ValueError(f"JSON holds {name}, which is not JSON")


def check_html(text: str) -> None:
    """A page parses, its JSON-LD scripts hold JSON, and no script came from the input."""
    doc = lxml.html.document_fromstring(text)
    for script in doc.iter("script"):
        kind = script.get("type", "")
        assert kind == "application/ld+json", f"unexpected script element (type={kind!r})"
        json.loads(script.text or "", parse_constant=_refuse_constant)
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in ("iframe", "object", "embed", "frame"), element.tag
        if element.tag == "style":
            assert element.getparent().tag == "head", "a style element outside <head>"
        for attr, value in element.attrib.items():
            assert not attr.lower().startswith("on"), f"event handler {attr}={value!r}"
            if attr in ("href", "src"):
                assert not unsafe_url(value), f"{attr}={value!r}"


def unsafe_url(value: str) -> bool:
    squashed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squashed.startswith(("javascript:", "vbscript:", "data:text/html"))


def feed_items(data: bytes) -> dict[str, lxml.etree._Element]:
    """The feed's items by guid."""
    root = lxml.etree.fromstring(data)
    return {item.findtext("guid"): item for item in root.iter("item")}


def episode_files(files: dict[str, bytes], slug: str) -> dict[str, bytes]:
    prefix = f"episodes/{slug}/"
    return {k[len(prefix) :]: v for k, v in files.items() if k.startswith(prefix)}
