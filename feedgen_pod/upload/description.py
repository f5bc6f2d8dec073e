"""The chapter block in a YouTube description: the part between two marker lines is ours.

Everything outside the markers belongs to the channel owner and is kept byte for byte; the
first upload puts the block at the end, after one blank line. The markers are plain text lines
YouTube shows as they are, so a person editing the description can see what the tool owns.
"""

from __future__ import annotations

BEGIN = "⏱ Chapters (kept up to date by feedgen-pod; edit the episode file, not this block)"
END = "⏱ End of chapters"


def block_text(chapters_txt: str) -> str:
    """The block that goes into a description for the build's ``chapters.txt``."""
    return f"{BEGIN}\n{chapters_txt.strip()}\n{END}"


def find_block(description: str) -> tuple[int, int] | None:
    """Start and end offsets of the block (both markers included), or None without one.

    A BEGIN line without its END line is no block: nothing is replaced then, so a half-deleted
    block cannot make the tool eat the rest of the description.
    """
    start = _line_start(description, BEGIN, 0)
    if start is None:
        return None
    end = _line_start(description, END, start + len(BEGIN))
    if end is None:
        return None
    return start, end + len(END)


def current_block(description: str) -> str | None:
    """The block as it stands in the description (markers included), or None."""
    span = find_block(description)
    return None if span is None else description[span[0] : span[1]]


def with_block(description: str, block: str) -> str:
    """``description`` with ``block`` in place of the old one, or appended when there is none.

    >>> with_block("Hello", "B")
    'Hello\\n\\nB'
    >>> with_block("", "B")
    'B'
    """
    span = find_block(description)
    if span is not None:
        return description[: span[0]] + block + description[span[1] :]
    head = description.rstrip("\n")
    return f"{head}\n\n{block}" if head else block


def _line_start(text: str, line: str, pos: int) -> int | None:
    """Offset of the first whole line equal to ``line`` at or after ``pos``."""
    while True:
        found = text.find(line, pos)
        if found < 0:
            return None
        after = found + len(line)
        if (found == 0 or text[found - 1] == "\n") and (
            after == len(text) or text[after] in "\r\n"
        ):
            return found
        pos = found + 1
