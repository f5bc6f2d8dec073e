"""``transcript.html``: the Podcasting 2.0 HTML transcript, also a page readable on its own.

Each passage is ``<cite>Speaker:</cite>``, ``<time>`` and ``<p>``, the form the spec gives.
A passage is one speaker's turn, cut into paragraphs at a sentence end once a paragraph is
long, so the page reads like the edited transcript rather than like captions; each chapter
opens with its title as an ``<h2>``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ..derive.cue_cutting import SENTENCE_END
from ..model import Chapter, Cue, Episode, Show
from ..times import format_clock
from . import Output, Rendered, episode_path
from .caption_text import by_speaker, one_line

FILE_NAME = "transcript.html"
#: a paragraph is closed at the first sentence end after this many characters
PARAGRAPH_CHARS = 600

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}cite{font-style:normal;font-weight:bold;margin-right:.5em}"
    "time{color:#666;font-size:.9em}p{margin:.25em 0 1.25em}"
)


@dataclass(frozen=True)
class Passage:
    start: float
    speaker: str | None
    text: str
    #: the title of the chapter this passage opens, if it opens one
    heading: str | None = None


def passages(cues: Sequence[Cue], chapters: Sequence[Chapter] = ()) -> list[Passage]:
    """Cues joined into paragraphs: a new one at each change of speaker or chapter, or after a
    long one; the first passage of a chapter carries its title."""
    out: list[Passage] = []
    texts: list[str] = []  # the one-line texts of the passage's cues so far
    chars = -1  # len(" ".join(texts)), kept as texts are added
    start, speaker, heading = 0.0, None, None
    pending = sorted(chapters, key=lambda c: c.start)
    names = by_speaker(cues, lambda name: name or None)
    for cue, text in zip(cues, one_line(cues)):
        cue_speaker = names[cue.speaker]
        long_enough = chars >= PARAGRAPH_CHARS and SENTENCE_END.search(texts[-1])
        opens = None
        while pending and pending[0].start <= cue.start + 0.0005:
            opens = pending.pop(0).title
        if texts and (cue_speaker != speaker or long_enough or opens):
            out.append(Passage(start, speaker, " ".join(texts), heading))
            texts, chars = [], -1
        if not texts:
            start, speaker, heading = cue.start, cue_speaker, opens
        if text:
            texts.append(text)
            chars += len(text) + 1
    if texts:
        out.append(Passage(start, speaker, " ".join(texts), heading))
    return out


def render(
    cues: Sequence[Cue], title: str, language: str, chapters: Sequence[Chapter] = ()
) -> bytes:
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}: transcript</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
    ]
    for passage in passages(cues, chapters):
        if passage.heading:
            parts.append(f"<h2>{esc(passage.heading)}</h2>")
        if passage.speaker:
            parts.append(f"<cite>{esc(passage.speaker)}:</cite>")
        clock = format_clock(passage.start)
        parts.append(f'<time datetime="PT{round(passage.start, 3):g}S">{clock}</time>')
        parts.append(f"<p>{esc(passage.text)}</p>")
    parts += ["</body>", "</html>"]
    return ("\n".join(parts) + "\n").encode("utf-8")


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    if not episode.cues:
        return Rendered()
    data = render(episode.cues, episode.title, show.language, episode.chapters)
    return Rendered((Output(episode_path(episode, FILE_NAME), data, episode.slug),))
