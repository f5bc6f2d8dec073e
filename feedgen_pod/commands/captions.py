"""``feedgen-pod captions``: raw YouTube captions → proper cues in VTT, SRT, JSON or HTML.

For episodes that only have raw captions (``m:ss text`` lines of a few words each), and for
producers who need a caption file without building the whole show.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..build.writer import atomic_write
from ..derive.alignment import align_entries
from ..derive.cue_timing import build_cues, caption_cues
from ..errors import FeedgenPodError, Problem, display_path
from ..formats import transcript_html, transcript_json, transcript_srt, transcript_vtt
from ..load.captions import load_raw_captions
from ..load.episodes import load_episode
from ..load.people import load_people
from ..model import Cue, RawCaption, TranscriptLine, TranscriptSettings
from ..problem_report import counted
from .common import EXIT_INPUT, EXIT_OK, EXIT_USAGE, print_problems

#: output file extension → renderer of cues
RENDERERS = {
    ".vtt": lambda cues, title: transcript_vtt.render(cues),
    ".srt": lambda cues, title: transcript_srt.render(cues),
    ".json": lambda cues, title: transcript_json.render(cues),
    ".html": lambda cues, title: transcript_html.render(cues, title, "en"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "captions",
        help="convert raw YouTube captions (m:ss text lines) into VTT, SRT, JSON or HTML",
        description="Merge raw caption fragments into readable cues, timed from their stamps, "
        "and write them in the format the output's extension names.",
    )
    parser.add_argument("raw", type=Path, metavar="RAW.txt", help="the raw caption file")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT",
        help="the file to write: .vtt, .srt, .json (Podcasting 2.0) or .html",
    )
    parser.add_argument(
        "--align",
        type=Path,
        metavar="EPISODE_FILE",
        help="write this episode's edited transcript (speakers, wording) instead, each cue "
        "timed by the raw captions' words",
    )
    parser.add_argument(
        "--duration",
        type=float,
        metavar="SECONDS",
        help="the episode's length, where the last cue ends (default: after its reading time)",
    )
    parser.add_argument(
        "--max-line-length",
        type=int,
        default=TranscriptSettings.max_line_length,
        metavar="N",
        help="characters per caption line (default: %(default)s)",
    )
    parser.add_argument(
        "--max-lines",
        type=int,
        default=TranscriptSettings.max_lines,
        metavar="N",
        help="lines per cue (default: %(default)s)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    render = RENDERERS.get(args.output.suffix.lower())
    if render is None:
        known = ", ".join(RENDERERS)
        print(f"error: {args.output}: unknown output type; use one of {known}", file=sys.stderr)
        return EXIT_USAGE
    if args.max_line_length < 1 or args.max_lines < 1:
        print("error: --max-line-length and --max-lines must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.duration is not None and not args.duration > 0:
        print("error: --duration must be a positive number of seconds", file=sys.stderr)
        return EXIT_USAGE
    problems: list = []
    raw = load_raw_captions(args.raw, problems)
    settings = TranscriptSettings(args.max_line_length, args.max_lines)
    cues: tuple[Cue, ...] = ()
    if raw is not None and args.align is not None:
        aligned = _aligned_cues(args.align, raw.captions, args.duration, settings, problems)
        if aligned is None:
            print_problems(problems)
            return EXIT_INPUT
        cues = aligned
    elif raw is not None:
        cues = caption_cues(raw, args.duration, settings, problems)
    print_problems(problems)
    if raw is None:
        return EXIT_INPUT
    if not cues:
        print(
            f"error: {display_path(args.raw)}: no 'm:ss text' caption lines found", file=sys.stderr
        )
        return EXIT_INPUT
    try:
        atomic_write(args.output, render(cues, args.raw.stem))
    except OSError as exc:
        raise FeedgenPodError(f"{display_path(args.output)}: cannot write: {exc.strerror}") from exc
    print(f"wrote {counted(len(cues), 'cue')} to {display_path(args.output)}")
    return EXIT_INPUT if any(p.is_error for p in problems) else EXIT_OK


def _aligned_cues(
    episode_file: Path,
    captions: tuple[RawCaption, ...],
    duration: float | None,
    settings: TranscriptSettings,
    problems: list[Problem],
) -> tuple[Cue, ...] | None:
    """Cues of the episode's edited transcript, timed by the captions; None when refused."""
    # profiles give speakers their full names; a show keeps people/ beside episodes/
    people_dir = episode_file.resolve().parent.parent / "people"
    people = load_people(people_dir, []) if people_dir.is_dir() else {}
    episode = load_episode(episode_file, people, problems)
    if episode is None or not episode.lines:
        problems.append(
            Problem(
                display_path(episode_file), None, "transcript", "no lines", kind="transcript-empty"
            )
        )
        return None
    where = display_path(episode_file)
    aligned = align_entries(episode.transcript, captions, where, problems)
    if aligned is None:
        return None
    lines = [e for e in aligned.transcript if isinstance(e, TranscriptLine)]
    length = duration if duration is not None else episode.duration
    return build_cues(lines, length, settings, aligned.word_times)
