"""The build: every episode file through its path (``episode``), then the show's files.

Each episode file is hashed, and one whose file and inputs hash the same as last time (see
``cache``) is not parsed at all: its summary and problems come from the cache and its files
stay untouched. The others are built by ``episode.build_episode``, in worker processes when
the show is big enough (``BuildOptions.jobs``, see ``workers``), and their results are taken
back in file order. Only a summary of each episode (no transcript) is kept for the show-level
files, so memory does not grow with the transcripts of the whole show. Audio is matched again
for every episode on every build (the host feed changes on every release), and an episode
whose audio changed is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ..checks.feed_items import empty_feed
from ..errors import OutputError, Problem, display_path
from ..formats import EPISODE_FORMATS, SHOW_FORMATS, rss
from ..load.audio import AudioResolver
from ..load.audio_match import AudioClaim
from ..load.episodes import slug_for
from ..load.show import Sources, discover
from ..model import Episode, Show
from ..net import NetPolicy, policy_for
from ..progress import Progress
from . import manifest
from .cache import (
    BuildCache,
    Entry,
    ShowEntry,
    default_cache_dir,
    hash_file,
    outputs_intact,
    source_hash,
    tool_fingerprint,
)
from .episode import (
    EpisodeContext,
    EpisodeResult,
    Loaded,
    episode_deps,
    load_with_audio,
    person_hash,
    write_outputs,
)
from .listing import Listing
from .report import BuildReport, feed_size
from .show_files import render_show
from .workers import MIN_PARALLEL_FILES, Ordered, Workers, completed, default_jobs
from .writer import DistWriter


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
    #: how a host feed given as a URL is fetched (None: the config's ``network:`` section)
    network: NetPolicy | None = None


def source_date_epoch(environ: Mapping[str, str] | None = None) -> datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time (reproducible builds), None when unset or invalid."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return datetime.fromtimestamp(int(value), tz=timezone.utc)


def global_key(sources: Sources) -> str:
    """What every episode depends on: tool, formats, config, hosts, chapter list names, cwd."""
    show = sources.show
    digest = hashlib.sha256(tool_fingerprint().encode())
    for fmt in (*EPISODE_FORMATS, *SHOW_FORMATS):
        digest.update(f"{fmt.__module__}.{fmt.__qualname__}\n".encode())
    # a config that can no longer be read hashes as absent, like a missing input
    digest.update(((hash_file(show.source) if show.source else None) or "-").encode())
    digest.update(repr(show).encode())
    chapters = show.chapters.directory
    if chapters is not None and chapters.is_dir():
        digest.update("\n".join(sorted(p.name for p in chapters.glob("*.txt"))).encode())
    digest.update(os.getcwd().encode())
    return digest.hexdigest()


class InputHashes:
    """Hashes of the files and profiles episodes read, each taken once per build."""

    def __init__(self, sources: Sources):
        self.sources = sources
        self._files: dict[Path, str | None] = {}
        self._people: dict[str, str | None] = {}

    def file(self, path: Path) -> str | None:
        if path not in self._files:
            self._files[path] = hash_file(path)
        return self._files[path]

    def person(self, key: str) -> str | None:
        if key not in self._people:  # a host is a guest of hundreds of episodes
            self._people[key] = person_hash(self.sources, key)
        return self._people[key]

    def unchanged(self, deps: dict[str, str | None]) -> bool:
        """Whether every input an episode read last time still hashes the same."""
        for name, digest in deps.items():
            kind, _, value = name.partition(":")
            now = self.person(value) if kind == "person" else self.file(Path(value))
            if now != digest:
                return False
        return True


def build(show: Show, options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    epoch = source_date_epoch()
    show = replace(show, build_time=epoch, live_now=epoch or datetime.now(timezone.utc))
    sources = discover(show, drafts=options.drafts)
    show = sources.show
    report.problems.extend(sources.problems)
    previous = manifest.read_paths(options.out)
    cache_dir = options.cache_dir or default_cache_dir(options.out)
    cache = BuildCache(cache_dir if options.use_cache else None, global_key(sources))
    policy = options.network or policy_for(show.sections.get("network"))
    audio = AudioResolver(show, options.audio_feed or show.audio_feed, report.problems, policy)
    writer = DistWriter(options.out)
    listing = Listing(writer, cache.global_key, show.live_now)
    jobs = (options.jobs or default_jobs()) if len(sources.files) >= MIN_PARALLEL_FILES else 1
    workers = Workers(EpisodeContext(show, sources, options.out), jobs)
    episodes = _Episodes(sources, cache, audio, listing, workers, report)
    queue = Ordered(window=4 * jobs)
    progress = Progress.for_terminal(len(sources.files), quiet=not options.progress)
    slugs = set()
    episodes.assign_audio()
    try:
        for path in sources.files:
            slug = slug_for(path)
            slugs.add(slug)
            queue.add(*episodes.start(path, slug))
            progress.step(path.name)
        queue.close()
    finally:
        progress.close()
        workers.shutdown()
    audio.finish()
    cache.keep_only(slugs)
    _show_files(show, cache, listing, report)
    report.problems.extend(empty_feed(show, sources.files, listing.summaries, report.problems))
    _finish(listing, options.out, previous, report)
    cache.save()
    if cache.unwritable is not None:
        report.problems.append(cache.unwritable)
    report.episodes = listing.summaries
    report.files_written = len(writer.changed)
    report.seconds = time.perf_counter() - started
    return report


Finish = Callable[[EpisodeResult | None], None]


class _Episodes:
    """Starts each episode file (from the cache, or built by the workers) and finishes it in
    file order: its problems reported, its files listed, its cache entry written."""

    def __init__(
        self,
        sources: Sources,
        cache: BuildCache,
        audio: AudioResolver,
        listing: Listing,
        workers: Workers,
        report: BuildReport,
    ):
        self.sources = sources
        self.cache = cache
        self.audio = audio
        self.listing = listing
        self.workers = workers
        self.report = report
        self.hashes = InputHashes(sources)
        # audio from the file itself only: attaching it needs no shared state, so the file is
        # loaded in the worker too (a host feed or a media folder is matched here, in order)
        self.own_audio = audio.host_feed is None and sources.show.media_dir is None
        #: files loaded for the host feed's assignment, kept so that each is read once
        self.preloaded: dict[Path, Loaded | tuple[Problem, ...]] = {}

    def assign_audio(self) -> None:
        """Settle the host feed's items over every file of the show before any is built, so
        that two files claiming one item are found whatever their order (``audio_match``).
        What a file claims comes from its cache entry when it is unchanged, else from loading
        it (kept for its build)."""
        if self.audio.host_feed is None:
            return
        claims: list[AudioClaim] = []
        for path in self.sources.files:
            episode = self._cached_summary(path)
            if episode is None:
                loaded = self._load(path, lambda e: e)
                self.preloaded[path] = loaded
                episode = loaded.episode if isinstance(loaded, Loaded) else None
            if episode is not None:
                claims.append(AudioClaim.of(episode, display_path(path)))
        self._audio_problems_to(self.report.problems)
        self.audio.assign(claims)

    def _cached_summary(self, path: Path) -> Episode | None:
        """The episode as its fresh cache entry remembers it, with the audio it declared."""
        entry = self.cache.episode(slug_for(path))
        if entry is None or entry.summary is None:
            return None
        try:
            digest = source_hash(path)
        except OSError:
            return None
        if entry.source_hash != digest or not self.hashes.unchanged(entry.deps):
            return None
        return replace(entry.summary, audio=entry.declared_audio)

    def start(self, path: Path, slug: str) -> tuple[Future, Finish]:
        """The episode's result (maybe still being built) and what to do with it."""
        try:
            digest = source_hash(path)
        except OSError:
            digest = ""
        early: list[Problem] = []  # audio problems found here: reported before the rest
        self._audio_problems_to(early)
        try:
            result, finish = self._start(path, slug, digest)
        finally:
            self._audio_problems_to(self.report.problems)

        def done(value: EpisodeResult | None) -> None:
            self.report.problems.extend(early)
            finish(value)

        return result, done

    def _audio_problems_to(self, problems: list[Problem]) -> None:
        self.audio.problems = problems
        if self.audio.host_feed is not None:
            self.audio.host_feed.problems = problems

    def _start(self, path: Path, slug: str, digest: str) -> tuple[Future, Finish]:
        entry = self.cache.episode(slug)
        fresh = bool(entry and digest and entry.source_hash == digest)
        # an episode left out for its future date is looked at again: its day may have come
        if entry is not None and any(p.kind == "episode-scheduled" for p in entry.problems):
            fresh = False
        if entry is not None and fresh and self.hashes.unchanged(entry.deps):
            if entry.summary is None:
                return completed(None), lambda _: self._skipped(entry.problems)
            said = len(self.audio.problems)
            attached = self.audio.attach(replace(entry.summary, audio=entry.declared_audio))
            if attached.audio == entry.summary.audio and outputs_intact(
                self.listing.writer.root, entry.outputs
            ):
                return completed(None), lambda _: self._reuse(slug, entry, attached)
            if self.own_audio:
                # its files are gone (a fresh dist/ beside a kept cache, as in CI): the worker
                # loads it and attaches its audio again, as in a cold build; loading it here
                # would put every episode's parsing on this one process
                del self.audio.problems[said:]
                loaded = None
            else:  # its audio is matched already: load it here and keep that audio
                matched = attached.audio
                loaded = self._load(path, lambda episode: replace(episode, audio=matched))
        elif path in self.preloaded:
            loaded = self.preloaded.pop(path)
            if isinstance(loaded, Loaded):
                loaded = replace(loaded, episode=self.audio.attach(loaded.episode))
        else:
            loaded = None if self.own_audio else self._load(path, self.audio.attach)
        if isinstance(loaded, tuple):  # skipped
            result = completed(EpisodeResult(None, loaded))
        else:
            result = self.workers.submit(path, loaded)
        return result, lambda value: self._built(slug, path, digest, value)

    def _load(
        self, path: Path, attach: Callable[[Episode], Episode]
    ) -> Loaded | tuple[Problem, ...]:
        return load_with_audio(self.sources, path, attach, self.hashes.file)

    def _built(self, slug: str, path: Path, digest: str, result: EpisodeResult | None) -> None:
        assert result is not None
        if result.summary is None:
            self.cache.put_episode(slug, Entry(digest, {}, None, None, list(result.problems)))
            self._skipped(list(result.problems))
            return
        deps = result.deps or {}
        self.report.problems.extend(result.audio_problems)
        problems = list(result.problems)
        records = self.listing.adopt(result.written, problems, display_path(path), slug)
        if result.complete and len(records) == len(result.written):
            self.cache.put_episode(
                slug, Entry(digest, deps, result.summary, result.declared, problems, records)
            )
        else:  # a file is missing: never taken as written, so the next build writes it
            self.cache.forget_episode(slug)
        self.report.problems.extend(problems)
        self.listing.episode(slug, digest, deps, result.summary)
        self.report.built += 1

    def _skipped(self, problems: list[Problem]) -> None:
        self.report.problems.extend(problems)
        self.report.skipped += 1

    def _reuse(self, slug: str, entry: Entry, attached: Episode) -> None:
        where = display_path(entry.summary.source) if entry.summary else "dist"
        self.report.problems.extend(self.listing.keep(entry.outputs, slug, where))
        self.report.problems.extend(entry.problems)
        self.listing.episode(slug, entry.source_hash, entry.deps, attached)
        self.report.reused += 1


def _show_files(show: Show, cache: BuildCache, listing: Listing, report: BuildReport) -> None:
    """Feed and other show-level files: reused when no episode or audio changed."""
    key = listing.show_key.hexdigest()
    cached = cache.show
    if cached and cached.key == key and outputs_intact(listing.writer.root, cached.outputs):
        for record in cached.outputs:
            listing.writer.keep(record.path)
            listing.add(record, None)
        report.problems.extend(cached.problems)
        with contextlib.suppress(OSError):  # the feed a rebuild left as it was
            report.feed = feed_size((listing.writer.root / rss.FEED_FILE).read_bytes())
        return
    outputs, problems = render_show(show, listing.summaries)
    feed = [o.data for o in outputs if o.path == rss.FEED_FILE]
    report.feed = feed_size(feed[0]) if feed else None
    records = [file.record for file in write_outputs(listing.writer, outputs, problems, "dist")]
    for record in records:
        listing.add(record, None)
    report.problems.extend(problems)
    if len(records) == len(outputs):
        cache.put_show(ShowEntry(key, problems, records))
    else:  # a show file could not be written: the next build writes them all again
        cache.forget_show()


def _finish(listing: Listing, out: Path, previous: set[str], report: BuildReport) -> None:
    """Manifest last, then remove what the last build wrote and this one did not.

    A manifest that cannot be written leaves the last build's, which would list files this
    build changed or removed: it is removed too, so ``manifest.json`` never lists a file that
    is not in ``dist/`` with its bytes (the next build writes it again)."""
    current = {f.path for f in listing.files}
    try:
        listing.writer.write(manifest.MANIFEST, manifest.dumps(listing.files))
    except OutputError as exc:
        report.problems.append(
            exc.problem or Problem("dist", None, None, str(exc), kind="output-unwritable")
        )
        report.files_removed = len(manifest.remove_stale(out, previous, current))
        manifest.discard(out)
        return
    report.files_removed = len(manifest.remove_stale(out, previous, current))


__all__ = ["BuildOptions", "BuildReport", "build", "display_path", "episode_deps"]
