"""``chapters.txt``: chapters for a YouTube description.

YouTube only shows description chapters when the first is at ``00:00``, there are at least
three, and each is at least ten seconds long. Times here are whole seconds (rounded down, as
YouTube seeks), chapters that would be too short are merged into the next one (the last into
the one before), and when fewer than three remain no file is written and a warning says why.
Titles over 70 characters are shortened at a word boundary with ``…`` (YouTube cuts them
anyway, mid-word); ``<`` and ``>``, which YouTube refuses in descriptions, become ``‹`` ``›``.
"""

from __future__ import annotations

from ..errors import Problem, Severity, display_path
from ..model import Episode, Show
from . import Output, Rendered, episode_path

FILE = "chapters.txt"
MIN_CHAPTERS = 3
MIN_SECONDS = 10
MAX_TITLE = 70


def clock(seconds: int) -> str:
    """``00:00`` style under an hour, ``1:02:03`` from an hour on."""
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def shorten(title: str, limit: int = MAX_TITLE) -> str:
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—/&") + "…"


def youtube_chapters(episode: Episode) -> list[tuple[int, str]]:
    """(whole-second start, title) pairs meeting YouTube's rules, or [] when they cannot."""
    if not episode.chapters:
        return []
    end = int(episode.chapters[-1].end)
    marks = [(int(c.start), c.title) for c in episode.chapters]
    marks[0] = (0, marks[0][1])
    i = 0
    while len(marks) > 1 and i < len(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else end
        if stop - marks[i][0] >= MIN_SECONDS:
            i += 1
        elif i + 1 < len(marks):
            marks[i + 1] = (marks[i][0], marks[i + 1][1])
            del marks[i]
        else:
            del marks[i]
            i = max(0, i - 1)
    if len(marks) < MIN_CHAPTERS or end - marks[-1][0] < MIN_SECONDS:
        return []
    return marks


def render(marks: list[tuple[int, str]]) -> str:
    lines = []
    for start, title in marks:
        text = shorten(title).replace("<", "‹").replace(">", "›")
        lines.append(f"{clock(start)} {text}")
    return "\n".join(lines) + "\n"


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    if not episode.chapters:
        return Rendered()
    where = display_path(episode.source)
    marks = youtube_chapters(episode)
    if not marks:
        too_few = Problem(
            where,
            None,
            "chapters",
            f"no {FILE} for YouTube: it needs at least {MIN_CHAPTERS} chapters of "
            f"{MIN_SECONDS}s or more, and this episode has {len(episode.chapters)}",
            Severity.WARNING,
            kind="youtube-chapters-too-few",
        )
        return Rendered(problems=(too_few,))
    problems: list[Problem] = []
    long = [title for _, title in marks if len(title) > MAX_TITLE]
    if long:
        problems.append(
            Problem(
                where,
                None,
                "chapters",
                f"{len(long)} chapter title(s) over {MAX_TITLE} characters shortened in {FILE} "
                f"(YouTube cuts them), first: {long[0]!r}",
                Severity.WARNING,
                kind="youtube-chapter-title-shortened",
            )
        )
    output = Output(episode_path(episode, FILE), render(marks).encode("utf-8"), episode.slug)
    return Rendered((output,), tuple(problems))
