"""The build pipeline: load → derive → format → write, episode by episode, incrementally.

This process hashes, loads and matches audio for each episode file in order; deriving and
rendering (most of the CPU) run in worker processes when the show is big enough
(``BuildOptions.jobs``, see ``parallel``), and their results are written back in file order.
Per-episode files are written as soon as the episode is built, and only a summary of the
episode (no transcript) is kept for the show-level files, so memory does not grow with the
transcripts of the whole show. An episode whose file and inputs hash the same as last time
(see ``cache``) is not parsed at all: its summary and problems come from the cache and its
files stay untouched. Audio is matched again for every episode on every build (the host feed
changes on every release), and an episode whose audio changed is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import manifest, stamp
from .buildreport import BuildReport, feed_size
from .cache import (
    BuildCache,
    Entry,
    OutputRecord,
    ShowEntry,
    default_cache_dir,
    hash_bytes,
    hash_file,
    outputs_intact,
    record_output,
    source_hash,
    tool_fingerprint,
)
from .contenttypes import content_type
from .derive import enrich, listing, summary
from .errors import OutputError, Problem, display_path
from .formats import EPISODE_FORMATS, SHOW_FORMATS, Output, rss
from .load.audio import AudioResolver
from .load.episodes import load_episode, slug_for
from .load.show import Sources, discover
from .model import Episode, Show
from .parallel import MIN_PARALLEL_FILES, Done, Ordered, default_jobs, start_pool
from .progress import Progress
from .writer import DistWriter

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future


@dataclass(frozen=True)
class BuildOptions:
    out: Path = Path("dist")
    drafts: bool = False
    audio_feed: str | None = None
    #: where the cache lives; default ``.cache/feedgen-pod`` beside the output folder
    cache_dir: Path | None = None
    #: False builds from scratch (the cache is neither read nor written)
    use_cache: bool = True
    #: draw a progress bar on stderr (the CLI turns it on for a terminal)
    progress: bool = False
    #: worker processes that build episodes (None: one per CPU; 1: all in this process)
    jobs: int | None = None
    #: the options' key (``stamp.build_key``): set, a build with the cache leaves a stamp for
    #: the no-change shortcut
    stamp_key: str | None = None


def source_date_epoch(environ: Mapping[str, str] | None = None) -> datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time (reproducible builds), None when unset or invalid."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return datetime.fromtimestamp(int(value), tz=timezone.utc)


def build_episode(show: Show, episode: Episode, problems: list[Problem]) -> list[Output]:
    """Every per-episode file for one (enriched) episode; a failing format is reported."""
    outputs: list[Output] = []
    for fmt in EPISODE_FORMATS:
        outputs.extend(fmt(show, episode, problems))
    return outputs


def build_one(
    show: Show, episode: Episode, problems: list[Problem]
) -> tuple[list[Output], list[Problem], Episode]:
    """Derive and render one loaded episode: its files, its problems, its summary."""
    episode = enrich(show, episode, problems)
    outputs = build_episode(show, episode, problems)
    brief = summary(episode)
    if brief.audio is not None:  # its feed item, made here in the worker (see rss.item_xml)
        brief = replace(brief, feed_item=rss.item_xml(show, brief, problems))
    return outputs, problems, listing(brief)


#: the show, its sources and the output folder, in a worker process (sent once, not with
#: every episode)
_WORKER: tuple[Show, Sources, Path] | None = None

#: one episode's files as written: each file's record and whether its bytes changed
Written = list[tuple[OutputRecord, bool]]


def _init_worker(show: Show, sources: Sources, out: Path) -> None:
    global _WORKER
    _WORKER = (show, sources, out)


def _here(show: Show, sources: Sources, out: Path, work: Callable[..., Any], args: tuple) -> Any:
    """A worker's job run in this process (no pool)."""
    global _WORKER
    previous, _WORKER = _WORKER, (show, sources, out)
    try:
        return work(*args)
    finally:
        _WORKER = previous


def _write_episode(
    out: Path, outputs: list[Output], problems: list[Problem], where: str
) -> Written:
    """Write one episode's files where they were rendered: their bytes never travel back to
    the main process, which only claims the paths and lists the records (``_Run._adopt``).
    Episode files live in the episode's own folder, and slugs are unique, so no two workers
    write one path."""
    return _write_outputs(DistWriter(out), outputs, problems, where)


def _write_outputs(
    writer: DistWriter, outputs: list[Output], problems: list[Problem], where: str
) -> Written:
    """Each output written (a refused one is a problem at ``where``), with its record."""
    written: Written = []
    for output in outputs:
        try:
            changed = writer.write(output.path, output.data)
        except OutputError as exc:
            problems.append(Problem(where, None, None, str(exc)))
            continue
        written.append((record_output(writer.root, writer.last, output.data), changed))
    return written


def _build_in_worker(
    episode: Episode, problems: list[Problem]
) -> tuple[Written, list[Problem], Episode]:
    assert _WORKER is not None
    show, _, out = _WORKER
    outputs, problems, brief = build_one(show, episode, problems)
    return _write_episode(out, outputs, problems, display_path(episode.source)), problems, brief


def _load_and_build(path: Path) -> tuple:
    """Load, attach the file's own audio, derive, render and write one episode file (a
    worker's whole job when no host feed or media folder is involved)."""
    assert _WORKER is not None
    show, sources, out = _WORKER
    problems: list[Problem] = []
    episode = load_episode(
        path, sources.people, problems, sources.show.hosts, sources.show.chapters.directory
    )
    if episode is None:
        return "skipped", problems
    declared = episode.audio
    early: list[Problem] = []
    episode = AudioResolver(show, None, early).attach(episode)
    deps = episode_deps(sources, episode, hash_file)
    outputs, problems, brief = build_one(show, episode, problems)
    written = _write_episode(out, outputs, problems, display_path(path))
    return ("built", early, written, problems, brief, declared, deps)


def episode_deps(
    sources: Sources, episode: Episode, file_hash: Callable[[Path], str | None]
) -> dict[str, str | None]:
    """The inputs besides its own file that an episode read, with their hashes now."""
    deps: dict[str, str | None] = {}
    for guest in episode.guests:
        deps[f"person:{guest.key}"] = person_hash(sources, guest.key)
    for extra in (episode.timestamps, episode.captions):
        if extra is not None:
            deps[f"file:{extra.path}"] = file_hash(Path(extra.path))
    return deps


def person_hash(sources: Sources, key: str) -> str | None:
    person = sources.people.get(key)
    return hash_bytes(repr(person).encode()) if person is not None else None


def global_key(sources: Sources) -> str:
    """What every episode depends on: tool, formats, config, hosts, chapter list names, cwd."""
    show = sources.show
    digest = hashlib.sha256(tool_fingerprint().encode())
    for fmt in (*EPISODE_FORMATS, *SHOW_FORMATS):
        digest.update(f"{fmt.__module__}.{fmt.__qualname__}\n".encode())
    digest.update((hash_file(show.source) if show.source else "-").encode())
    digest.update(repr(show).encode())
    chapters = show.chapters.directory
    if chapters is not None and chapters.is_dir():
        digest.update("\n".join(sorted(p.name for p in chapters.glob("*.txt"))).encode())
    digest.update(os.getcwd().encode())
    return digest.hexdigest()


class _Run:
    """The state of one build: writer, cache, audio, and what goes into the manifest."""

    def __init__(self, show: Show, sources: Sources, options: BuildOptions, report: BuildReport):
        self.show = show
        self.sources = sources
        self.out = options.out
        self.report = report
        self.writer = DistWriter(options.out)
        cache_dir = options.cache_dir or default_cache_dir(options.out)
        self.cache = BuildCache(cache_dir if options.use_cache else None, global_key(sources))
        self.audio = AudioResolver(show, options.audio_feed or show.audio_feed, report.problems)
        self.files: list[manifest.FileEntry] = []
        #: each listed file's size and modification time as written or checked (for the stamp)
        self.seen: dict[str, tuple[int, int]] = {}
        self.summaries: list[Episode] = []
        self.show_key = hashlib.sha256(self.cache.global_key.encode())
        #: files episodes read besides their own (timestamp lists, raw captions)
        self.read_files: set[Path] = set()
        #: each episode file's ``source_hash`` (None: unreadable), for the stamp
        self.read_hashes: dict[Path, str | None] = {}
        self._file_hashes: dict[Path, str | None] = {}
        self._person_hashes: dict[str, str | None] = {}
        jobs = options.jobs or default_jobs()
        self.jobs = jobs if len(sources.files) >= MIN_PARALLEL_FILES else 1
        self.pool: Executor | None = None
        self.to_build = 0
        self.queue = Ordered(window=4 * self.jobs)
        # audio from the file itself only: attaching it needs no shared state, so the file is
        # loaded in the worker too (a host feed is matched here, in file order)
        self.pure_audio = self.audio.host_feed is None and show.media_dir is None

    def episode(self, path: Path) -> str:
        """Queue one episode file: reused, skipped or built (in a worker when there is a pool);
        returns its slug. Its results are taken in file order (see ``parallel.Ordered``)."""
        slug = slug_for(path)
        early: list[Problem] = []  # audio problems found here: reported before the rest
        self._problems_to(early)
        try:
            result, finish = self._prepare(path, slug)
        finally:
            self._problems_to(self.report.problems)

        def done(value: object) -> None:
            self.report.problems.extend(early)
            finish(value)

        self.queue.add(result, done)
        return slug

    def _problems_to(self, problems: list[Problem]) -> None:
        self.audio.problems = problems
        if self.audio.host_feed is not None:
            self.audio.host_feed.problems = problems

    def _prepare(self, path: Path, slug: str) -> tuple[Future | Done, Callable[[Any], None]]:
        try:
            digest = source_hash(path)
        except OSError:
            digest = ""
        self.read_hashes[path] = digest or None
        entry = self.cache.episode(slug)
        probed = False
        audio = None
        if entry and digest and entry.source_hash == digest and self._deps_hold(entry):
            cached = entry
            if entry.summary is None:
                return Done(None), lambda _: self._skip(cached.problems)
            said = len(self.audio.problems)
            attached = self.audio.attach(replace(entry.summary, audio=entry.declared_audio))
            if attached.audio == entry.summary.audio and outputs_intact(self.out, entry.outputs):
                return Done(None), lambda _: self._reuse(slug, cached, attached)
            if self.pure_audio:
                # its files are gone (a fresh dist/ beside a kept cache, as in CI): the worker
                # loads it and attaches its audio again, as in a cold build; loading it here
                # would put every episode's parsing on this one process
                del self.audio.problems[said:]
            else:
                probed, audio = True, attached.audio
        if not probed and self.pure_audio:
            return self._submit(_load_and_build, path), self._finisher(slug, path, digest)
        problems: list[Problem] = []
        episode = load_episode(
            path,
            self.sources.people,
            problems,
            self.sources.show.hosts,
            self.sources.show.chapters.directory,
        )
        if episode is None:
            self.cache.put_episode(slug, Entry(digest, {}, None, None, problems))
            return Done(None), lambda _: self._skip(problems)
        declared = episode.audio
        episode = replace(episode, audio=audio) if probed else self.audio.attach(episode)
        deps = self._deps_of(episode)
        result = self._submit(_build_in_worker, episode, problems)
        finish = self._finisher(slug, path, digest)
        return result, lambda value: finish(("built", [], *value, declared, deps))

    def _finisher(self, slug: str, path: Path, source_hash: str) -> Callable[[Any], None]:
        """What to do with a worker's result, in file order."""

        def finish(value: tuple) -> None:
            if value[0] == "skipped":
                _, problems = value
                self.cache.put_episode(slug, Entry(source_hash, {}, None, None, problems))
                self._skip(problems)
                return
            _, early, written, problems, brief, declared, deps = value
            self.report.problems.extend(early)
            records = self._adopt(written, problems, display_path(path), slug)
            self.cache.put_episode(
                slug, Entry(source_hash, deps, brief, declared, problems, records)
            )
            self.report.problems.extend(problems)
            self.summaries.append(brief)
            self._key(slug, source_hash, deps, brief)
            self.report.built += 1

        return finish

    def _submit(self, work: Callable[..., Any], *args: Any) -> Future | Done:
        """The first episode to build is built here; a pool starts when a second one needs
        building in a show big enough to pay for it (a one-change rebuild starts none)."""
        self.to_build += 1
        if self.pool is None and self.to_build > 1 and self.jobs > 1:
            self.pool = start_pool(self.jobs, _init_worker, (self.show, self.sources, self.out))
        if self.pool is None:
            return Done(_here(self.show, self.sources, self.out, work, args))
        return self.pool.submit(work, *args)

    def _skip(self, problems: list[Problem]) -> None:
        self.report.problems.extend(problems)
        self.report.skipped += 1

    def _reuse(self, slug: str, entry: Entry, attached: Episode) -> None:
        for record in entry.outputs:
            try:
                self.writer.keep(record.path)
            except OutputError as exc:  # same check, same message as a fresh build
                self.report.problems.append(
                    Problem(
                        display_path(entry.summary.source) if entry.summary else "dist",
                        None,
                        None,
                        str(exc),
                    )
                )
                continue
            self._list(record, slug)
        self.report.problems.extend(entry.problems)
        self.summaries.append(attached)
        self._key(slug, entry.source_hash, entry.deps, attached)
        self.report.reused += 1

    def _key(self, slug: str, source_hash: str, deps: dict[str, str | None], ep: Episode) -> None:
        self.read_files.update(Path(name[5:]) for name in deps if name.startswith("file:"))
        self.show_key.update(f"{slug}\0{source_hash}\0{sorted(deps.items())}\0".encode())
        self.show_key.update(repr(ep.audio).encode())
        if ep.live is not None:  # a live item's status changes with the time alone
            self.show_key.update(ep.live.status(self.show.live_now).encode())

    def _file_hash(self, path: Path) -> str | None:
        if path not in self._file_hashes:
            self._file_hashes[path] = hash_file(path)
        return self._file_hashes[path]

    def _deps_of(self, episode: Episode) -> dict[str, str | None]:
        return episode_deps(self.sources, episode, self._file_hash)

    def _person_hash(self, key: str) -> str | None:
        if key not in self._person_hashes:  # a host is a guest of hundreds of episodes
            self._person_hashes[key] = person_hash(self.sources, key)
        return self._person_hashes[key]

    def _deps_hold(self, entry: Entry) -> bool:
        for name, digest in entry.deps.items():
            kind, _, value = name.partition(":")
            now = self._person_hash(value) if kind == "person" else self._file_hash(Path(value))
            if now != digest:
                return False
        return True

    def _write(
        self, outputs: list[Output], problems: list[Problem], slug: str | None, where: str
    ) -> list[OutputRecord]:
        records = [record for record, _ in _write_outputs(self.writer, outputs, problems, where)]
        for record in records:
            self._list(record, slug)
        return records

    def _adopt(
        self, written: Written, problems: list[Problem], where: str, slug: str
    ) -> list[OutputRecord]:
        """Claim and list the files a worker wrote for one episode."""
        records = []
        for record, changed in written:
            try:
                self.writer.adopt(record.path, changed)
            except OutputError as exc:
                problems.append(Problem(where, None, None, str(exc)))
                continue
            records.append(record)
            self._list(record, slug)
        return records

    def _list(self, record: OutputRecord, slug: str | None) -> None:
        self.seen[record.path] = (record.size, record.mtime_ns)
        self.files.append(
            manifest.FileEntry(
                record.path, record.size, record.sha256, content_type(record.path), slug
            )
        )

    def show_files(self) -> None:
        """Feed and other show-level files: reused when no episode or audio changed."""
        key = self.show_key.hexdigest()
        cached = self.cache.show
        if cached and cached.key == key and outputs_intact(self.out, cached.outputs):
            for record in cached.outputs:
                self.writer.keep(record.path)
                self._list(record, None)
            self.report.problems.extend(cached.problems)
            with contextlib.suppress(OSError):
                self.report.feed = feed_size((self.out / rss.FEED_FILE).read_bytes())
            return
        ordered = sorted(self.summaries, key=_order)
        problems: list[Problem] = []
        outputs: list[Output] = []
        for fmt in SHOW_FORMATS:
            outputs.extend(fmt(self.show, ordered, problems))
        feed = [o.data for o in outputs if o.path == rss.FEED_FILE]
        self.report.feed = feed_size(feed[0]) if feed else None
        records = self._write(outputs, problems, None, "dist")
        self.report.problems.extend(problems)
        self.cache.put_show(ShowEntry(key, problems, records))

    def finish(self, previous: set[str]) -> None:
        """Manifest last, then remove what the last build wrote and this one did not."""
        data = manifest.dumps(self.files)
        try:
            self.writer.write(manifest.MANIFEST, data)
        except OutputError as exc:
            self.report.problems.append(Problem("dist", None, None, str(exc)))
        current = {f.path for f in self.files}
        removed = manifest.remove_stale(self.out, previous, current)
        self.report.files_removed = len(removed)


def build(show: Show, options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    epoch = source_date_epoch()
    show = replace(show, build_time=epoch, live_now=epoch or datetime.now(timezone.utc))
    sources = discover(show, drafts=options.drafts)
    show = sources.show
    report.problems.extend(sources.problems)
    previous = manifest.read_paths(options.out)
    run = _Run(show, sources, options, report)
    progress = Progress.for_terminal(len(sources.files), quiet=not options.progress)
    slugs = set()
    try:
        for path in sources.files:
            slugs.add(run.episode(path))
            progress.step(path.name)
        run.queue.close()
    finally:
        progress.close()
        if run.pool is not None:
            run.pool.shutdown(cancel_futures=True)
    run.audio.finish()
    run.cache.keep_only(slugs)
    run.show_files()
    run.finish(previous)
    run.cache.save()
    report.episodes = run.summaries
    report.files_written = len(run.writer.changed)
    if options.use_cache and options.stamp_key:
        _leave_stamp(run, sources, options.stamp_key, report)
    report.seconds = time.perf_counter() - started
    return report


def _leave_stamp(run: _Run, sources: Sources, key: str, report: BuildReport) -> None:
    """Record this build for the no-change shortcut; none when an input is not a file the
    stamp can hash (a host feed, a media folder) or a live stream's status can change with
    the time alone, and an old one is removed then."""
    if run.cache.root is None:
        return
    path = run.cache.root / stamp.STAMP_NAME
    show = sources.show
    live = any(e.live is not None and e.audio is None for e in run.summaries)
    if show.media_dir is not None or run.audio.host_feed is not None or live:
        stamp.forget(path)
        return
    folders = [show.episodes_dir, show.people_dir]
    if show.chapters.directory is not None:
        folders.append(show.chapters.directory)
    inputs = [*run.read_files, *([show.source] if show.source else [])]
    outputs: dict[str, tuple[int, int] | None] = {**run.seen, manifest.MANIFEST: None}
    again = stamp.Replay(report.built + report.reused, report.skipped, report.problems)
    try:
        stamp.write(path, key, folders, inputs, run.out, outputs, again, run.read_hashes)
    except OSError:
        stamp.forget(path)


def _order(episode: Episode) -> tuple:
    """Newest first: by date, then season and number, then slug (deterministic)."""
    day = episode.pub_date.toordinal() if episode.pub_date else 0
    return (-day, -(episode.season or 0), -(episode.number or 0), episode.slug)


__all__ = ["BuildOptions", "BuildReport", "build", "build_episode", "display_path"]
