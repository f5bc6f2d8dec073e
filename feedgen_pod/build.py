"""The build pipeline: load → derive → format → write, one episode at a time.

Per-episode files are written as soon as the episode is built, and only a summary of the
episode (no transcript) is kept for the show-level files, so memory does not grow with the
transcripts of the whole show.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .derive import enrich, summary
from .errors import OutputError, Problem, display_path
from .formats import EPISODE_FORMATS, SHOW_FORMATS, Output
from .load.audio import AudioResolver
from .load.show import discover, load_episodes
from .model import Episode, Show
from .writer import DistWriter


@dataclass(frozen=True)
class BuildOptions:
    out: Path = Path("dist")
    drafts: bool = False
    audio_feed: str | None = None


@dataclass
class BuildReport:
    """What a build did, for the summary line and the exit code."""

    built: int = 0
    skipped: int = 0
    reused: int = 0
    files_written: int = 0
    problems: list[Problem] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def summary_line(self) -> str:
        return (
            f"built {self.built} episodes, skipped {self.skipped}, reused {self.reused}; "
            f"{self.files_written} files changed; {len(self.errors)} errors, "
            f"{len(self.warnings)} warnings in {self.seconds:.2f}s"
        )


def build_episode(show: Show, episode: Episode, problems: list[Problem]) -> list[Output]:
    """Every per-episode file for one (enriched) episode; a failing format is reported."""
    outputs: list[Output] = []
    for fmt in EPISODE_FORMATS:
        outputs.extend(fmt(show, episode, problems))
    return outputs


def build(show: Show, options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    sources = discover(show, drafts=options.drafts)
    show = sources.show
    problems = report.problems
    problems.extend(sources.problems)
    writer = DistWriter(options.out)
    audio = AudioResolver(show, options.audio_feed or show.audio_feed, problems)
    loaded = 0
    for episode in load_episodes(sources, problems):
        loaded += 1
        episode = audio.attach(episode)
        episode = enrich(show, episode, problems)
        _write(writer, build_episode(show, episode, problems), problems, episode)
        report.episodes.append(summary(episode))
        report.built += 1
    audio.finish()
    report.skipped = len(sources.files) - loaded
    ordered = sorted(report.episodes, key=_order)
    for fmt in SHOW_FORMATS:
        _write(writer, fmt(show, ordered, problems), problems, None)
    report.files_written = len(writer.changed)
    report.seconds = time.perf_counter() - started
    return report


def _order(episode: Episode) -> tuple:
    """Newest first: by date, then season and number, then slug (deterministic)."""
    day = episode.pub_date.toordinal() if episode.pub_date else 0
    return (-day, -(episode.season or 0), -(episode.number or 0), episode.slug)


def _write(
    writer: DistWriter, outputs: list[Output], problems: list[Problem], episode: Episode | None
) -> None:
    for output in outputs:
        try:
            writer.write(output.path, output.data)
        except OutputError as exc:
            where = display_path(episode.source) if episode else "dist"
            problems.append(Problem(where, None, None, str(exc)))
