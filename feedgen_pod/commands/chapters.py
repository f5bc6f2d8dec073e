"""``feedgen-pod chapters embed SLUG AUDIO_FILE``: write an episode's chapters into its audio.

The chapters are derived exactly as ``build`` derives them (so the file agrees with
``chapters.json`` to the millisecond), except that the last one ends at the audio file's own
length, which is the truth for that file.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from ..derive.episode import enrich
from ..embed import embed_chapters
from ..errors import InputError, Problem, Severity, display_path
from ..load.episodes import load_episode, slug_for
from ..load.field_audio import guess_audio_type
from ..load.show import discover
from ..model import Audio, AudioSource, Enclosure, Episode, Show
from ..problem_report import counted
from .common import EXIT_INPUT, EXIT_OK, add_show_arguments, load_show_config, print_problems


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "chapters",
        help="chapter tools: embed an episode's chapters into its MP3 or M4A",
        description="Work with an episode's chapters outside a full build.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    embed = actions.add_parser(
        "embed",
        help="write the episode's chapters into an MP3 (ID3 CHAP/CTOC) or M4A, keeping other tags",
        description="Derive SLUG's chapters as build does and write them into AUDIO_FILE in "
        "place: ID3 CHAP and CTOC frames in an MP3, Nero chapters in an M4A. Other tags are kept.",
    )
    embed.add_argument("slug", metavar="SLUG", help="the episode, by its output name")
    embed.add_argument("audio", type=Path, metavar="AUDIO_FILE", help="the .mp3 or .m4a to tag")
    add_show_arguments(embed)
    add_chapters_dir(embed)
    embed.set_defaults(func=run_embed)


def add_chapters_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--chapters-dir",
        type=Path,
        metavar="DIR",
        help="timestamp lists sNNeMM-slug.txt (default: the config's chapters_dir)",
    )


def with_chapters_dir(show: Show, args: argparse.Namespace) -> Show:
    if not getattr(args, "chapters_dir", None):
        return show
    return replace(show, chapters=replace(show.chapters, directory=Path(args.chapters_dir)))


def find_episode(show: Show, slug: str, problems: list[Problem]) -> Episode | None:
    """Load the one episode whose output name is ``slug`` (drafts included)."""
    sources = discover(show, drafts=True)
    problems.extend(sources.problems)
    for path in sources.files:
        if slug_for(path) == slug:
            return load_episode(
                path,
                sources.people,
                problems,
                sources.show.hosts,
                show.chapters.directory,
                sources.site,
            )
    names = ", ".join(sorted(slug_for(p) for p in sources.files)[:5])
    problems.append(
        Problem(
            display_path(show.episodes_dir),
            None,
            None,
            f"no episode named {slug!r} (some that exist: {names})",
            kind="episode-not-found",
        )
    )
    return None


def _with_audio_length(episode: Episode, path: Path, problems: list[Problem]) -> Episode:
    """The episode with the audio file as its audio, so the last chapter ends at its length."""
    import mutagen

    try:
        info = mutagen.File(path)
        length = float(info.info.length) if info is not None and info.info else None
    except (mutagen.MutagenError, OSError) as exc:
        raise InputError(
            Problem(
                display_path(path), None, None, f"cannot read it: {exc}", kind="audio-unreadable"
            )
        ) from None
    if not length:
        problems.append(
            Problem(
                display_path(path),
                None,
                None,
                "cannot tell its length; chapters end at the episode's known duration",
                Severity.WARNING,
                kind="audio-length-unknown",
            )
        )
        return episode
    enclosure = Enclosure(path.name, path.stat().st_size, guess_audio_type(path.name), length)
    return replace(episode, audio=Audio(enclosure, AudioSource.LOCAL_FILE))


def run_embed(args: argparse.Namespace) -> int:
    show = with_chapters_dir(load_show_config(args), args)
    problems: list[Problem] = []
    audio: Path = args.audio
    if not audio.is_file():
        print(f"error: {display_path(audio)}: no such file", file=sys.stderr)
        return EXIT_INPUT
    episode = find_episode(show, args.slug, problems)
    if episode is None:
        print_problems(problems)
        return EXIT_INPUT
    episode = enrich(show, _with_audio_length(episode, audio, problems), problems)
    print_problems(problems)
    kind = embed_chapters(audio, episode.chapters, episode.title)
    print(f"{display_path(audio)}: wrote {counted(len(episode.chapters), 'chapter')} as {kind}")
    return EXIT_OK
