"""Nero chapters (``moov.udta.chpl``) in an MP4/M4A, the chapter form ffmpeg, VLC and mutagen
read. mutagen reads ``chpl`` but cannot write it, so the atom is written here, using mutagen's
atom parser and its code that fixes parent sizes and chunk offsets after a resize.

Apple's players read a QuickTime chapter text track instead, which this does not write.
"""

from __future__ import annotations

import struct
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..model import Chapter

#: chpl times are in units of 100 ns
_UNITS = 10_000_000
_MAX_TITLE_BYTES = 255


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


def embed_mp4(path: Path, chapters: tuple[Chapter, ...]) -> None:
    from mutagen import MutagenError
    from mutagen._util import insert_bytes, resize_bytes
    from mutagen.mp4 import Atom, Atoms, MP4Tags

    if len(chapters) > 255:
        raise InputError(
            _problem(
                path,
                f"{len(chapters)} chapters; an M4A holds at most 255",
                kind="embed-too-many-chapters",
            )
        )
    chpl = Atom.render(b"chpl", chpl_payload(chapters))
    fixer = MP4Tags()  # only for its size and offset fixing
    try:
        with open(path, "r+b") as fileobj:
            atoms = Atoms(fileobj)
            if b"moov" not in atoms:
                raise InputError(
                    _problem(path, "not an MP4 file (no moov atom)", kind="embed-unreadable")
                )
            if b"moov.udta.chpl" in atoms:
                parents = atoms.path(b"moov", b"udta", b"chpl")
                old = parents.pop()
                offset, delta = old.offset, len(chpl) - old.length
                resize_bytes(fileobj, old.length, len(chpl), offset)
                data = chpl
            else:
                if b"moov.udta" in atoms:
                    parents = atoms.path(b"moov", b"udta")
                    data = chpl
                else:
                    parents = atoms.path(b"moov")
                    data = Atom.render(b"udta", chpl)
                offset, delta = parents[-1].offset + parents[-1].length, len(data)
                insert_bytes(fileobj, len(data), offset)
            fileobj.seek(offset)
            fileobj.write(data)
            fixer._MP4Tags__update_parents(fileobj, parents, delta)
            fixer._MP4Tags__update_offsets(fileobj, atoms, delta, offset)
    except (MutagenError, OSError, struct.error) as exc:
        raise InputError(
            _problem(path, f"cannot write its chapters: {exc}", kind="embed-unwritable")
        ) from None


def _problem(path: Path, message: str, kind: str) -> Problem:
    return Problem(display_path(path), None, None, message, kind=kind)
