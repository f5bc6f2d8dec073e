"""The MP4 box rewriting behind ``chapters embed`` on files that are not what they claim: each
is one clear problem, and the file is left as it was."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from feedgen_pod.embed import embed_chapters
from feedgen_pod.embed.mp4 import parse_boxes, with_chapters
from feedgen_pod.errors import InputError
from feedgen_pod.model import Chapter

CHAPTERS = (Chapter(0, 1, "One"), Chapter(1, 2, "Two"))


def box(kind: bytes, body: bytes = b"") -> bytes:
    return struct.pack(">I4s", len(body) + 8, kind) + body


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (box(b"ftyp", b"M4A ") + box(b"mdat", b"\0" * 16), "no moov box"),
        (box(b"ftyp") + struct.pack(">I4s", 4000, b"moov"), "impossible size"),
        (box(b"moov", box(b"trak", struct.pack(">I4s", 3, b"mdia"))), "impossible size"),
        (box(b"moov") + box(b"moof"), "fragmented"),
    ],
    ids=["no-moov", "moov-past-the-end", "child-smaller-than-its-header", "fragmented"],
)
def test_a_broken_mp4_is_one_problem_and_is_left_alone(tmp_path: Path, data, why) -> None:
    audio = tmp_path / "a.m4a"
    audio.write_bytes(data)
    with pytest.raises(InputError) as caught:
        embed_chapters(audio, CHAPTERS)
    problem = caught.value.problem
    assert problem is not None
    assert why in problem.message and problem.kind == "embed-unreadable"
    assert audio.read_bytes() == data


def test_chunk_offsets_after_moov_move_by_what_moov_grew() -> None:
    """A faststart layout: ``moov`` (with one ``stco`` entry pointing into ``mdat``) first."""
    ftyp = box(b"ftyp", b"M4A \0\0\0\0")
    mdat_body = b"AUDIO"

    def layout(offset: int) -> bytes:
        stco = box(b"stco", struct.pack(">III", 0, 1, offset))
        trak = box(b"trak", box(b"mdia", box(b"minf", box(b"stbl", stco))))
        return box(b"moov", trak)

    before_offset = len(ftyp) + len(layout(0)) + 8
    data = ftyp + layout(before_offset) + box(b"mdat", mdat_body)
    assert data[before_offset : before_offset + 5] == b"AUDIO"
    new = with_chapters(data, b"\x01\0\0\0\0\0\0\0\0")
    kinds = [kind for kind, _, _ in parse_boxes(new)]
    assert kinds == [b"ftyp", b"moov", b"mdat"]
    (offset,) = struct.unpack(">I", new[new.index(b"stco") + 12 : new.index(b"stco") + 16])
    assert new[offset : offset + 5] == b"AUDIO"
    assert with_chapters(new, b"\x01\0\0\0\0\0\0\0\0") == new  # replaced, not added again
