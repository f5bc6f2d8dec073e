"""The ``transcript`` list of an episode: spoken lines and section headers, with times in seconds.

Time rules, applied to each line:

* ``sec`` (whole seconds) wins over ``time``: an unquoted ``time: 1:11`` is read by YAML 1.1 as the
  base-60 integer 71 while ``time: 0:33`` stays text, so ``time`` is the less reliable of the two.
  When both are present and differ by more than a second, a warning names the line.
* ``time`` is used when ``sec`` is missing (as seconds when YAML made it an integer).
* A line with neither is interpolated between its timed neighbours in proportion to the text
  before it (``timed=False``); after the last timed line, by reading time.
* Times that go backwards are kept as given and reported; the cue builder spreads them.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

from ..model import Person, SectionHeader, TranscriptEntry, TranscriptLine, reading_time
from .field_base import Context, FieldError, clean_text, seconds_value

#: a ``who`` longer than this many words is dialogue pasted into the speaker field
_MAX_SPEAKER_WORDS = 4


def parse_transcript(
    value: Any, ctx: Context, people: tuple[Person, ...]
) -> tuple[TranscriptEntry, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        ctx.report(
            "transcript",
            f"expected a list of lines, got {type(value).__name__}; the transcript is left out",
            kind="transcript-invalid",
        )
        return ()
    raw: list[tuple[str, str | None, float | None, int] | SectionHeader] = []
    speakers: dict[str, tuple[str | None, str]] = {}  # two or three names, said hundreds of times
    for index, item in enumerate(value):
        path = f"transcript.{index}"
        line_no = ctx.lines.get(path, 0)
        entry = _parse_entry(item, ctx, path, line_no, people, speakers)
        if entry is not None:
            raw.append(entry)
    return _fill_times(_drop_duplicates(raw, ctx), ctx)


def _parse_entry(
    item: Any,
    ctx: Context,
    path: str,
    line_no: int,
    people: tuple[Person, ...],
    speakers: dict[str, tuple[str | None, str]],
):
    if not isinstance(item, dict):
        ctx.report(
            path,
            "expected 'line:'/'who:'/'sec:' or 'header:'; entry skipped",
            kind="transcript-entry-invalid",
        )
        return None
    if "header" in item and "line" not in item:
        title = item["header"]
        if not isinstance(title, (str, int, float)) or isinstance(title, bool):
            ctx.report(
                f"{path}.header", "expected text; header skipped", kind="transcript-entry-invalid"
            )
            return None
        title = " ".join(clean_text(str(title)).split())
        return SectionHeader(title, line_no) if title else None
    text = item.get("line")
    if text is None or isinstance(text, (dict, list, bool)):
        ctx.report(
            f"{path}.line",
            "expected the spoken text; entry skipped",
            kind="transcript-entry-invalid",
        )
        return None
    text = clean_text(str(text))
    text = " ".join(text.split())  # a line never carries a blank line or a newline into a cue
    who = item.get("who")
    speaker = None
    if isinstance(who, (dict, list, bool)):
        ctx.report(
            f"{path}.who",
            f"expected a name, got {type(who).__name__}; ignored",
            kind="transcript-entry-invalid",
        )
        who = None
    if who is not None:
        known = speakers.get(who) if type(who) is str else None
        if known is None:
            known = _speaker(who, people)
            if type(who) is str:
                speakers[who] = known
        speaker, dialogue = known
        if dialogue:
            ctx.warn(
                f"{path}.who",
                "holds dialogue, not a name; moved into the line",
                kind="transcript-speaker-is-dialogue",
            )
            text = f"{dialogue} {text}".strip()
    if not text:
        ctx.warn(f"{path}.line", "empty line skipped", kind="transcript-empty-line")
        return None
    start = None
    sec_value, time_value = item.get("sec"), item.get("time")
    try:
        start = seconds_value(sec_value)
    except FieldError as exc:
        ctx.report(f"{path}.sec", f"{exc}; using 'time'", kind="transcript-time-invalid")
    time_seconds = None
    try:
        time_seconds = seconds_value(time_value)
    except FieldError as exc:
        if start is None:
            ctx.report(
                f"{path}.time", f"{exc}; the time is interpolated", kind="transcript-time-invalid"
            )
    if start is None:
        start = time_seconds
    elif time_seconds is not None and abs(time_seconds - start) > 1:
        ctx.warn(
            f"{path}.time",
            f"time {time_value!r} disagrees with sec {sec_value!r}; sec is used",
            kind="transcript-time-disagrees",
        )
    return (text, speaker, start, line_no)


def _speaker(who: object, people: tuple[Person, ...]) -> tuple[str | None, str]:
    """(the speaker's name, "") for a ``who``, or (None, the text) when it holds dialogue."""
    name = clean_text(str(who)).strip().rstrip(":").strip()
    if len(name.split()) > _MAX_SPEAKER_WORDS:
        return None, name
    return (resolve_speaker(name, people) if name else None), ""


def resolve_speaker(who: str, people: tuple[Person, ...]) -> str:
    """The full name of the profile ``who`` refers to (``Alexey`` → ``Alexey Grigorev``)."""
    wanted = _fold(who)
    for person in people:
        if person.source is None:
            continue
        names = {_fold(person.key), _fold(person.name)}
        names.update(_fold(part) for part in person.name.split())
        if wanted in names:
            return person.name
    # a short form of the first name or key (``Theo`` for Theofilos), when only one person fits
    if len(wanted) >= 3:
        fits = {
            p.name
            for p in people
            if p.source is not None
            and (_fold(p.key).startswith(wanted) or _fold(p.name.split()[0]).startswith(wanted))
        }
        if len(fits) == 1:
            return fits.pop()
    return who


def _fold(text: str) -> str:
    return _NOT_WORD.sub("", text.casefold())


_NOT_WORD = re.compile(r"[^\w]")


def _drop_duplicates(raw: list, ctx: Context) -> list:
    """Drop a line repeated word for word by the next spoken line (a copy-paste left in).

    The archive has episodes where nearly every line appears twice: an untimed copy without a
    speaker, then the timed one (sometimes with its header repeated between them). Keeping both
    would say everything twice in the captions. The copy with less information (no time, then
    no speaker) goes, with a warning; a header repeated around it goes with it.
    """
    spoken = [i for i, e in enumerate(raw) if not isinstance(e, SectionHeader)]
    drop: set[int] = set()
    copies: list[int] = []  # source lines of the dropped copies: one warning for them all
    for i, j in itertools.pairwise(spoken):
        a, b = raw[i], raw[j]
        if i in drop or a[0] != b[0]:  # texts are whitespace-normalised by _parse_entry
            continue
        if a[1] and b[1] and a[1] != b[1]:
            continue  # two people saying the same thing ("Bye.") is not a copy
        score_a = (a[2] is not None, a[1] is not None)
        score_b = (b[2] is not None, b[1] is not None)
        gone = i if score_a <= score_b else j
        drop.add(gone)
        copies.append(raw[gone][3])
        between = [k for k in range(i + 1, j) if isinstance(raw[k], SectionHeader)]
        before = [k for k in range(i - 1, -1, -1) if isinstance(raw[k], SectionHeader)][:1]
        for k in between:
            if before and raw[before[0]].title == raw[k].title and before[0] == i - 1:
                drop.add(k)
    if copies:
        if len(copies) == 1:
            what = "repeats the next line word for word; the copy without a time or speaker was"
            what += " dropped (delete it from the file)"
        else:
            what = f"this and {len(copies) - 1} more lines repeat the next line word for word;"
            what += " the copies without a time or speaker were dropped (delete them from the file)"
        ctx.warn("transcript", what, line=copies[0] or None, kind="transcript-duplicate-line")
    return [e for k, e in enumerate(raw) if k not in drop]


def _fill_times(raw: list, ctx: Context) -> tuple[TranscriptEntry, ...]:
    """Interpolate missing times and report times that go backwards."""
    spoken = [i for i, e in enumerate(raw) if not isinstance(e, SectionHeader)]
    known = [(i, raw[i][2]) for i in spoken if raw[i][2] is not None]
    starts: dict[int, float] = dict(known)
    # lines before the first timed line start from 0, those after the last by reading time
    bounds = [(-1, 0.0), *known]
    for (i0, t0), (i1, t1) in zip(bounds, [*known, (None, None)]):
        # spoken is sorted: slice it (a scan per timed line was quadratic on long transcripts)
        lo = bisect.bisect_right(spoken, i0)
        gap = spoken[lo : bisect.bisect_left(spoken, i1) if i1 is not None else len(spoken)]
        if not gap:
            continue
        if t1 is None:
            t = t0 + (reading_time(raw[i0][0]) if i0 >= 0 else 0.0)
            for i in gap:
                starts[i] = t
                t += reading_time(raw[i][0])
            continue
        weights = [len(raw[i][0]) for i in gap]
        prev_weight = len(raw[i0][0]) if i0 >= 0 else 0
        total = prev_weight + sum(weights)
        span = max(0.0, t1 - t0)
        acc = prev_weight
        for i, w in zip(gap, weights):
            starts[i] = t0 + span * acc / total if total else t0
            acc += w
    entries: list[TranscriptEntry] = []
    last = 0.0
    for i, e in enumerate(raw):
        if isinstance(e, SectionHeader):
            entries.append(e)
            continue
        text, speaker, given, line_no = e
        start = round(starts[i], 3)
        if given is not None and given < last:
            ctx.warn(
                f"transcript.{i}",
                f"time {given:g}s goes back from {last:g}s; cues are spread to keep order",
                line=line_no or None,
                kind="transcript-time-backwards",
            )
        if given is not None:
            last = max(last, given)
        entries.append(TranscriptLine(text, speaker, start, given is not None, line_no))
    return tuple(entries)
