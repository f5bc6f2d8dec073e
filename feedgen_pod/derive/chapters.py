"""Normalised chapters from the best source an episode has: headers, else clips, else a list.

Every chapter format (JSON, PSC, YouTube, WebVTT, FFMETADATA, ID3/MP4 marks) reads the
``Chapter`` values made here, so they agree with each other to the millisecond.

Header rules (the archive's transcripts are messy, and a title is never lost silently):

* a header's chapter starts at the first *timed* line after it (an untimed line's time is an
  estimate); when only untimed lines follow, at the first of them, with a warning;
* the first header before the first spoken line starts at 0; when several headers come before
  the first line (``Podcast Introduction`` then the first topic, common in the archive), the
  first starts at 0 and the last at the first line;
* a header with no line after it is dropped, with a warning;
* headers that end up at the same time (two headers in a row) become one chapter: a repeated
  title is kept once, different titles are joined with `` / ``, and either is a warning with the
  file and line, so the data can be fixed.

Normalising: sorted, duplicates removed, the first at 0, each ends where the next starts and
the last at the episode's duration; a chapter shorter than ``min_seconds`` is merged into the
next one (the last into the previous one), with a warning naming the title that went.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from ..errors import Problem, Severity, display_path
from ..model import Chapter, Episode, SectionHeader, Show, TranscriptLine

#: what joins the titles of headers that fall on the same time
TITLE_JOIN = " / "
#: starts closer than this (seconds) are "the same time" when comparing sources
AGREE_SECONDS = 3.0


@dataclass(frozen=True)
class Mark:
    """A chapter start before normalising: where it came from, for reports."""

    start: float
    title: str
    line: int = 0
    #: the file ``line`` is in, when it is not the episode file (a timestamp list)
    path: str | None = None


def derive_chapters(show: Show, episode: Episode, problems: list[Problem]) -> tuple[Chapter, ...]:
    """The episode's chapters from headers, else clips, else its timestamp list."""
    where = display_path(episode.source)
    marks = header_marks(episode, where, problems)
    if not marks:
        marks = clip_marks(episode)
        if marks and episode.timestamps:
            marks += _list_tail(episode, marks)
    if not marks:
        marks = list_marks(episode)
    if not marks:
        return ()
    return normalise(marks, episode, show.chapters.min_seconds, where, problems)


def header_marks(episode: Episode, where: str, problems: list[Problem]) -> list[Mark]:
    """One mark per header, timed by the rules in the module docstring."""
    entries = episode.transcript
    marks: list[Mark] = []
    seen_line = False
    leading: list[SectionHeader] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, TranscriptLine):
            seen_line = True
            continue
        start, estimated = _start_after(entries, index, entry, where)
        problems.extend(estimated)
        if start is None:
            problems.append(
                _warn(
                    where,
                    entry.source_line,
                    f"header {entry.title!r} has no line after it; no chapter made",
                    kind="chapter-header-without-line",
                )
            )
            continue
        if not seen_line:
            leading.append(entry)
            continue
        marks.append(Mark(start, entry.title, entry.source_line))
    if leading:
        first_start, _ = _start_after(entries, 0, leading[0], where)
        marks[:0] = [Mark(0.0, leading[0].title, leading[0].source_line)]
        if len(leading) > 1 and first_start is not None:
            marks[1:1] = [Mark(first_start, h.title, h.source_line) for h in leading[1:]]
    return marks


def _start_after(
    entries: tuple, index: int, header: SectionHeader, where: str
) -> tuple[float | None, tuple[Problem, ...]]:
    """The start of the header's chapter (None without a line after it), and a warning when
    it is only the next line's estimated time."""
    lines = [e for e in entries[index + 1 :] if isinstance(e, TranscriptLine)]
    if not lines:
        return None, ()
    timed = next((ln for ln in lines if ln.timed), None)
    if timed is not None:
        return timed.start, ()
    estimated = _warn(
        where,
        header.source_line,
        f"no timed line after header {header.title!r}; "
        "its start is the estimated time of the next line",
        kind="chapter-start-estimated",
    )
    return lines[0].start, (estimated,)


def clip_marks(episode: Episode) -> list[Mark]:
    return [Mark(c.start, c.name, c.source_line) for c in episode.clips if c.name.strip()]


def list_marks(episode: Episode) -> list[Mark]:
    if not episode.timestamps:
        return []
    where = display_path(episode.timestamps.path)
    return [Mark(e.start, e.title, e.source_line, where) for e in episode.timestamps.entries]


def _list_tail(episode: Episode, marks: list[Mark]) -> list[Mark]:
    """Timestamp list entries after the last clip: ``quotableClips`` usually lack the last one."""
    last_clip = max(episode.clips, key=lambda c: c.start)
    after = last_clip.end if last_clip.end is not None else last_clip.start
    return [m for m in list_marks(episode) if m.start >= after and m.start > marks[-1].start]


def normalise(
    marks: list[Mark], episode: Episode, min_seconds: float, where: str, problems: list[Problem]
) -> tuple[Chapter, ...]:
    """Sorted, same-time marks joined, first at 0, ends filled, short chapters merged."""
    ordered = sorted(
        (
            replace(m, start=round(max(0.0, m.start), 3), title=" ".join(m.title.split()))
            for m in marks
        ),
        key=lambda m: m.start,
    )
    merged: list[Mark] = []
    for mark in ordered:
        if not mark.title:
            problems.append(
                _warn(
                    mark.path or where,
                    mark.line,
                    "chapter without a title; skipped",
                    kind="chapter-untitled",
                )
            )
            continue
        if merged and merged[-1].start == mark.start:
            merged[-1], joined = _join(merged[-1], mark, where)
            problems.append(joined)
        else:
            merged.append(mark)
    if not merged:
        return ()
    merged[0] = replace(merged[0], start=0.0)
    end, guessed = _episode_end(episode, merged, min_seconds, where)
    problems.extend(guessed)
    while len(merged) > 1 and merged[-1].start >= end:
        gone = merged.pop()
        problems.append(
            _warn(
                gone.path or where,
                gone.line,
                f"chapter {gone.title!r} starts at {gone.start:g}s, after the "
                f"episode's end ({end:g}s); dropped",
                kind="chapter-after-end",
            )
        )
    merged, too_short = _merge_short(merged, end, min_seconds, where)
    problems.extend(too_short)
    chapters = []
    for mark, following in zip(merged, [*merged[1:], None]):
        stop = following.start if following else round(end, 3)
        chapters.append(Chapter(mark.start, stop, mark.title, youtube_url(episode, mark.start)))
    return tuple(chapters)


def _join(kept: Mark, extra: Mark, where: str) -> tuple[Mark, Problem]:
    """Two marks at one time as one, and the warning that says how."""
    if fold_title(extra.title) in {fold_title(t) for t in kept.title.split(TITLE_JOIN)}:
        repeated = _warn(
            extra.path or where,
            extra.line,
            f"header {extra.title!r} repeats the one on line {kept.line}; kept once",
            kind="chapter-header-repeated",
        )
        return kept, repeated
    joined = _warn(
        extra.path or where,
        extra.line,
        f"header {extra.title!r} starts at the same time as "
        f"{kept.title!r} (line {kept.line}; two headers in a row?); titles joined with "
        f"{TITLE_JOIN.strip()!r}",
        kind="chapter-headers-joined",
    )
    return replace(kept, title=kept.title + TITLE_JOIN + extra.title), joined


def _episode_end(
    episode: Episode, marks: list[Mark], min_seconds: float, where: str
) -> tuple[float, tuple[Problem, ...]]:
    """The episode's end, and a warning when it is only guessed."""
    if episode.duration:
        return episode.duration, ()
    clip_ends = [c.end for c in episode.clips if c.end is not None]
    guess = max([*clip_ends, marks[-1].start + min_seconds])
    guessed = _warn(
        where,
        None,
        f"episode duration unknown; the last chapter ends at {guess:g}s (give 'duration' or audio)",
        kind="chapter-end-guessed",
    )
    return guess, (guessed,)


def _merge_short(
    marks: list[Mark], end: float, min_seconds: float, where: str
) -> tuple[list[Mark], list[Problem]]:
    """Merge chapters shorter than ``min_seconds`` into the next (the last into the previous),
    with a warning for each."""
    out = list(marks)
    merged: list[Problem] = []
    i = 0
    while len(out) > 1 and i < len(out):
        stop = out[i + 1].start if i + 1 < len(out) else end
        if stop - out[i].start >= min_seconds:
            i += 1
            continue
        gone = out[i]
        if i + 1 < len(out):
            out[i + 1] = replace(out[i + 1], start=gone.start)
            into = out[i + 1].title
        else:
            into = out[i - 1].title
        del out[i]
        merged.append(
            _warn(
                gone.path or where,
                gone.line,
                f"chapter {gone.title!r} is {stop - gone.start:.1f}s long, "
                f"under {min_seconds:g}s; merged into {into!r}",
                kind="chapter-too-short",
            )
        )
        i = max(0, i - 1)
    return out, merged


def youtube_url(episode: Episode, start: float) -> str | None:
    if not episode.youtube_id:
        return None
    return f"https://www.youtube.com/watch?v={episode.youtube_id}&t={int(start)}s"


def fold_title(title: str) -> str:
    """A title reduced for comparing: NFKC, dashes and case folded, only letters and digits."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def _warn(where: str, line: int | None, message: str, kind: str) -> Problem:
    return Problem(where, line or None, "chapters", message, Severity.WARNING, kind)


# --- comparing sources (for ``feedgen-pod validate``) ---------------------------------------


@dataclass(frozen=True)
class Disagreement:
    """One place where two chapter sources of an episode differ (``path`` of the left mark)."""

    path: str | None
    line: int | None
    message: str


def sources(episode: Episode) -> dict[str, list[Mark]]:
    """Each chapter source the episode has, as raw marks (headers timed as for chapters)."""
    out: dict[str, list[Mark]] = {}
    headers: list[Mark] = []
    for mark in header_marks(episode, "", []):
        if not headers or (headers[-1].start, fold_title(headers[-1].title)) != (
            mark.start,
            fold_title(mark.title),
        ):
            headers.append(mark)
    if headers:
        out["headers"] = headers
    if episode.clips:
        out["clips"] = clip_marks(episode)
    if episode.timestamps and episode.timestamps.entries:
        out["timestamp list"] = list_marks(episode)
    return out


def compare(episode: Episode, tolerance: float = AGREE_SECONDS) -> list[Disagreement]:
    """Where the episode's chapter sources disagree, each pair of sources compared once.

    Marks are paired by time first (within ``tolerance`` seconds: a different title there is a
    disagreement), then by title (a different time is one); what is left is missing on one side.
    """
    found = sources(episode)
    names = list(found)
    out: list[Disagreement] = []
    for i, left in enumerate(names):
        for right in names[i + 1 :]:
            out.extend(_compare_pair(left, found[left], right, found[right], tolerance))
    return out


def _compare_pair(
    left: str, a: list[Mark], right: str, b: list[Mark], tolerance: float
) -> list[Disagreement]:
    """Pair marks in three passes (same time and title, same title, same time); report the rest."""
    free_a, free_b = list(range(len(a))), list(range(len(b)))
    found: dict[int, str] = {}
    tests = (
        lambda x, y: (
            abs(x.start - y.start) <= tolerance and fold_title(x.title) == fold_title(y.title)
        ),
        lambda x, y: fold_title(x.title) == fold_title(y.title),
        lambda x, y: abs(x.start - y.start) <= tolerance,
    )
    for kind, test in enumerate(tests):
        for i in list(free_a):
            j = next((j for j in free_b if test(a[i], b[j])), None)
            if j is None:
                continue
            free_a.remove(i)
            free_b.remove(j)
            x, y = a[i], b[j]
            if kind == 1:
                found[i] = (
                    f"{x.title!r} starts at {_clock(x.start)} in {left}, at "
                    f"{_clock(y.start)} in {right}{_at(y)}"
                )
            elif kind == 2:
                found[i] = (
                    f"at {_clock(x.start)} {left} says {x.title!r}, {right} says "
                    f"{y.title!r}{_at(y)}"
                )
    out = []
    for i, mark in enumerate(a):
        message = found.get(i)
        if i in free_a:
            message = f"{left} has {mark.title!r} at {_clock(mark.start)}; {right} has not"
        if message:
            out.append(Disagreement(mark.path, mark.line or None, message))
    for j in free_b:
        mark = b[j]
        message = f"{right} has {mark.title!r} at {_clock(mark.start)}; {left} has not"
        out.append(Disagreement(mark.path, mark.line or None, message))
    return out


def _at(mark: Mark) -> str:
    if not mark.line:
        return ""
    return f" ({mark.path}:{mark.line})" if mark.path else f" (line {mark.line})"


def agreement(chapters: tuple[Chapter, ...], episode: Episode, tolerance: float = AGREE_SECONDS):
    """(matched, total): timestamp-list entries that a chapter starts within ``tolerance`` of."""
    if not episode.timestamps:
        return (0, 0)
    entries = episode.timestamps.entries
    matched = sum(1 for e in entries if any(abs(c.start - e.start) <= tolerance for c in chapters))
    return (matched, len(entries))


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def chapter_source(episode: Episode) -> str | None:
    """Which source ``derive_chapters`` takes the episode's chapters from."""
    if header_marks(episode, "", []):
        return "transcript headers"
    clips = clip_marks(episode)
    if clips:
        tail = episode.timestamps and _list_tail(episode, clips)
        return "quotableClips" + (" + the end of the timestamp list" if tail else "")
    if list_marks(episode):
        return "timestamp list"
    return None
