"""Nero chapters (``moov.udta.chpl``) in an MP4/M4A, the chapter form ffmpeg, VLC and mutagen
read. mutagen reads ``chpl`` but cannot write it, so the ``moov`` box is rebuilt here: its
``udta.chpl`` replaced or added, box sizes recomputed, and, when ``moov`` sits before the audio
(a "faststart" file), every chunk offset (``stco``/``co64``) moved by what ``moov`` grew.
The new file replaces the old one atomically.

Apple's players read a QuickTime chapter text track instead, which this does not write.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from ..build.writer import atomic_write
from ..errors import InputError, Problem, display_path
from ..model import Chapter

#: chpl times are in units of 100 ns
_UNITS = 10_000_000
_MAX_TITLE_BYTES = 255
#: boxes on the way to ``udta`` and to the chunk offset tables: plain containers
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts", b"dinf"}


def chpl_payload(chapters: tuple[Chapter, ...]) -> bytes:
    """version 1, no flags, 4 reserved bytes, a count, then (start, title) per chapter."""
    if len(chapters) > 255:
        raise ValueError("chpl holds at most 255 chapters")
    out = bytearray(b"\x01\x00\x00\x00" + b"\x00" * 4 + bytes([len(chapters)]))
    for chapter in chapters:
        title = chapter.title.encode("utf-8")[:_MAX_TITLE_BYTES]
        title = title.decode("utf-8", "ignore").encode("utf-8")  # never cut inside a character
        out += struct.pack(">Q", round(chapter.start * 1000) * (_UNITS // 1000))
        out += bytes([len(title)]) + title
    return bytes(out)


@dataclass
class Box:
    """One MP4 box: a container's children, or any other box's payload as it stands."""

    kind: bytes
    payload: bytes = b""
    children: list[Box] | None = None

    def render(self) -> bytes:
        body = (
            self.payload if self.children is None else b"".join(c.render() for c in self.children)
        )
        if len(body) + 8 > 0xFFFFFFFF:
            return struct.pack(">I4sQ", 1, self.kind, len(body) + 16) + body
        return struct.pack(">I4s", len(body) + 8, self.kind) + body

    def child(self, kind: bytes) -> Box | None:
        return next((c for c in self.children or () if c.kind == kind), None)


def parse_boxes(
    data: bytes, start: int = 0, end: int | None = None
) -> list[tuple[bytes, int, int]]:
    """Each box in ``data[start:end]`` as (type, start of its header, end); a ``ValueError``
    for a box whose size runs past its parent."""
    end = len(data) if end is None else end
    spans = []
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1:
            if at + 16 > end:
                raise ValueError(f"truncated box header at byte {at}")
            (size,) = struct.unpack_from(">Q", data, at + 8)
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise ValueError(f"box {kind!r} at byte {at} has an impossible size {size}")
        spans.append((kind, at, at + size))
        at += size
    return spans


def _tree(data: bytes, kind: bytes, start: int, end: int) -> Box:
    header = 16 if struct.unpack_from(">I", data, start)[0] == 1 else 8
    if kind not in _CONTAINERS:
        return Box(kind, data[start + header : end])
    spans = parse_boxes(data, start + header, end)
    return Box(kind, children=[_tree(data, k, s, e) for k, s, e in spans])


def with_chapters(data: bytes, chpl: bytes) -> bytes:
    """The file ``data`` with ``chpl`` as its only Nero chapter list."""
    top = parse_boxes(data)
    moov_span = next(((s, e) for k, s, e in top if k == b"moov"), None)
    if moov_span is None:
        raise ValueError("not an MP4 file (no moov box)")
    if any(k == b"moof" for k, _, _ in top):
        raise ValueError("a fragmented MP4 (moof boxes); chapters are not written into those")
    start, end = moov_span
    moov = _tree(data, b"moov", start, end)
    udta = moov.child(b"udta")
    if udta is None:
        udta = Box(b"udta", children=[])
        moov.children.append(udta)  # type: ignore[union-attr]
    udta.children = [c for c in udta.children or () if c.kind != b"chpl"]
    udta.children.append(Box(b"chpl", chpl))
    delta = len(moov.render()) - (end - start)
    if delta and any(k == b"mdat" and s >= end for k, s, _ in top):
        _shift_chunk_offsets(moov, end, delta)
    return data[:start] + moov.render() + data[end:]


def _shift_chunk_offsets(box: Box, after: int, delta: int) -> None:
    """Move every chunk offset at or past ``after`` (the audio after ``moov``) by ``delta``."""
    for child in box.children or ():
        if child.kind in (b"stco", b"co64"):
            wide = child.kind == b"co64"
            form = ">Q" if wide else ">I"
            (count,) = struct.unpack_from(">I", child.payload, 4)
            table = bytearray(child.payload)
            for index in range(count):
                at = 8 + index * (8 if wide else 4)
                (offset,) = struct.unpack_from(form, table, at)
                if offset >= after:
                    struct.pack_into(form, table, at, offset + delta)
            child.payload = bytes(table)
        elif child.children is not None:
            _shift_chunk_offsets(child, after, delta)


def embed_mp4(path: Path, chapters: tuple[Chapter, ...]) -> None:
    """Write ``chapters`` into the MP4 at ``path``: a new file, renamed over the old one."""
    if len(chapters) > 255:
        raise InputError(
            _problem(
                path,
                f"{len(chapters)} chapters; an M4A holds at most 255",
                kind="embed-too-many-chapters",
            )
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            _problem(path, f"cannot read it: {exc.strerror}", kind="embed-unreadable")
        ) from None
    try:
        new = with_chapters(data, chpl_payload(chapters))
    except (ValueError, struct.error) as exc:
        raise InputError(_problem(path, str(exc), kind="embed-unreadable")) from None
    try:
        atomic_write(path, new, parent_exists=True)
    except OSError as exc:
        raise InputError(
            _problem(path, f"cannot write its chapters: {exc.strerror}", kind="embed-unwritable")
        ) from None


def _problem(path: Path, message: str, kind: str) -> Problem:
    return Problem(display_path(path), None, None, message, kind=kind)
