"""Write chapters into an audio file: ID3 ``CHAP``/``CTOC`` frames in an MP3, Nero ``chpl``
chapters in an M4A. Only the chapter frames are replaced; every other tag is kept.

Times are the same milliseconds every chapter file in ``dist/`` uses.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..model import Chapter
from .mp4 import embed_mp4

#: ID3 says an offset of 0xFFFFFFFF means "use the times, not byte offsets"
_NO_OFFSET = 0xFFFFFFFF
TOC_ID = "toc"


def embed_chapters(path: Path, chapters: tuple[Chapter, ...], title: str | None = None) -> str:
    """Write ``chapters`` into the file at ``path``; returns the kind of file written."""
    if not chapters:
        raise InputError(
            _problem(path, "the episode has no chapters to embed", kind="embed-no-chapters")
        )
    suffix = path.suffix.lower()
    if suffix == ".mp3":
        embed_id3(path, chapters, title)
        return "MP3 (ID3 CHAP/CTOC)"
    if suffix in (".m4a", ".m4b", ".mp4"):
        embed_mp4(path, chapters)
        return "MP4 (chpl)"
    raise InputError(
        _problem(
            path,
            f"cannot embed chapters in a {suffix or 'suffix-less'} file; use an .mp3 or .m4a",
            kind="embed-unsupported-file",
        )
    )


def embed_id3(path: Path, chapters: tuple[Chapter, ...], title: str | None = None) -> None:
    from mutagen import MutagenError
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags, ID3NoHeaderError

    try:
        tags = ID3(path)
        version = tags.version[1] if tags.version[1] in (3, 4) else 3
    except ID3NoHeaderError:
        tags, version = ID3(), 3
    except (MutagenError, OSError) as exc:
        raise InputError(
            _problem(path, f"cannot read its ID3 tags: {exc}", kind="embed-unreadable")
        ) from None
    tags.delall("CHAP")
    tags.delall("CTOC")
    ids = element_ids([chapter.title for chapter in chapters], version)
    for element_id, chapter in zip(ids, chapters):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    tags.add(
        CTOC(
            element_id=TOC_ID,
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=[title or "Chapters"])],
        )
    )
    try:
        tags.save(path, v2_version=version)
    except (MutagenError, OSError) as exc:
        raise InputError(
            _problem(path, f"cannot write its ID3 tags: {exc}", kind="embed-unwritable")
        ) from None


def element_ids(titles: list[str], version: int) -> list[str]:
    """One ``CHAP`` element id per chapter that makes mutagen write the frames in the order
    given (time order: ffmpeg and players that ignore ``CTOC`` list them as stored).

    mutagen stores frames sorted by their size, then by their key (``CHAP:`` and the id),
    whatever order they were added in. So every id starts with the chapter's number, zero
    padded (keys sort in time order), and ends with as many ``_`` as make every frame as long
    as the one with the longest title (sizes tie). ID3 says an element id is never shown to
    a listener. Frames sorted any other way (by key, by start, as added) keep this order too.

    >>> element_ids(["Intro", "A longer title", "End"], 4)
    ['chp0_________', 'chp1', 'chp2___________']
    """
    sizes = [_title_size(title, version) for title in titles]
    width = len(str(max(len(titles) - 1, 0)))
    longest = max(sizes, default=0)
    return [f"chp{number:0{width}d}" + "_" * (longest - size) for number, size in enumerate(sizes)]


def _title_size(title: str, version: int) -> int:
    """The bytes of a chapter's ``TIT2`` sub-frame as mutagen writes it (a chapter's title is
    never empty): a 10-byte header, the encoding byte and the text (UTF-8 in ID3v2.4; UTF-16
    with its byte order mark in v2.3, which has no UTF-8)."""
    text = title.encode("utf-8") if version == 4 else b"\xff\xfe" + title.encode("utf-16-le")
    return 10 + 1 + len(text)


def _problem(path: Path, message: str, kind: str) -> Problem:
    return Problem(display_path(path), None, None, message, kind=kind)
