"""Give episodes their audio: front matter ``audio:``, else the host feed, else a local file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import Problem, Severity, display_path
from ..model import UNKNOWN_LENGTH, Audio, AudioSource, Enclosure, Episode, Show
from ..net import NetPolicy
from ..problem_report import counted
from .audio_match import AudioClaim
from .field_audio import guess_audio_type
from .field_base import MAX_SECONDS
from .hostfeed import HostFeed
from .sizes import local_size, read_sizes

MEDIA_EXTENSIONS = (".mp3", ".m4a", ".mp4", ".ogg", ".opus")


class AudioResolver:
    """Attaches audio episode by episode, so the build never holds every episode at once."""

    def __init__(
        self,
        show: Show,
        audio_feed: str | None,
        problems: list[Problem],
        policy: NetPolicy | None = None,
    ):
        self.show = show
        self.problems = problems
        self.host_feed: HostFeed | None = None
        if audio_feed:
            self.host_feed = HostFeed.load(audio_feed, problems, policy)

    def assign(self, claims: list[AudioClaim]) -> None:
        """Settle the host feed's items over every episode file of the show at once (see
        ``audio_match``); without it, each episode is matched against the items still free."""
        if self.host_feed is not None:
            self.host_feed.assign(claims)

    def attach(self, episode: Episode) -> Episode:
        miss = ""  # why the host feed gave nothing: said in the one "no audio" warning
        if episode.audio is None and self.host_feed is not None:
            episode = self.host_feed.attach(episode)
            if episode.audio is None:
                miss = self.host_feed.unmatched(episode)
        elif episode.audio is not None and self.host_feed is not None:
            self.host_feed.claim(episode)
        if episode.audio is None and self.show.media_dir is not None:
            episode = self._local(episode)
        # a live episode without audio is in the feed all the same, as a podcast:liveItem
        if episode.audio is None and episode.live is None:
            # with an audio source to look in, a miss drops a released episode from the feed;
            # a show with none configured has only front matter audio to give
            sourced = self.host_feed is not None or self.show.media_dir is not None
            self.problems.append(
                Problem(
                    display_path(episode.source),
                    None,
                    "audio",
                    f"no audio: {miss + '; ' if miss else ''}add an 'audio:' block, a host feed "
                    "item or a local file; left out of feed.xml (its other files are built)",
                    Severity.ERROR if sourced else Severity.WARNING,
                    kind="episode-left-out" if sourced else "no-audio",
                )
            )
        elif episode.audio is not None:
            episode = self._sized(episode)
            self._check_times(episode)
        return episode

    def _sized(self, episode: Episode) -> Episode:
        """An enclosure whose size the file did not give: the media file's, the sizes
        file's (``feedgen-pod sizes``), else 0 with a warning (apps read a 0 as unknown)."""
        audio = episode.audio
        assert audio is not None
        if any(a.length == UNKNOWN_LENGTH for a in audio.alternates):
            # the other formats' sizes: 0 (unknown to apps) when neither source knows them
            alternates = tuple(
                replace(a, length=self._known_size(a.url) or 0) if a.length == UNKNOWN_LENGTH else a
                for a in audio.alternates
            )
            audio = replace(audio, alternates=alternates)
            episode = replace(episode, audio=audio)
        enclosure = audio.enclosure
        if enclosure.length != UNKNOWN_LENGTH:
            return episode
        length = self._known_size(enclosure.url)
        if length is None:
            length = 0
            self.problems.append(
                Problem(
                    display_path(episode.source),
                    episode.line_of("audio"),
                    "audio.length",
                    "the audio file's size is not known; the enclosure says 0: run "
                    "'feedgen-pod sizes' to ask the server once, set the size in the front "
                    "matter, or put the file in media_dir",
                    Severity.WARNING,
                    kind="audio-length-unknown",
                )
            )
        audio = replace(audio, enclosure=replace(enclosure, length=length))
        return replace(episode, audio=audio)

    def _known_size(self, url: str) -> int | None:
        """The file's size from ``media_dir``, else from the sizes file, else None."""
        length = local_size(self.show.media_dir, url)
        if length is None:
            length = read_sizes(self.show.site.sizes_file).get(url)
        return length

    def _check_times(self, episode: Episode) -> None:
        """Transcript lines that start after the audio ends point at a wrong ``sec``."""
        assert episode.audio is not None
        end = episode.audio.enclosure.duration
        late = [ln for ln in episode.lines if ln.timed and end and ln.start > end + 1]
        if late:
            self.problems.append(
                Problem(
                    display_path(episode.source),
                    late[0].source_line or None,
                    "transcript",
                    f"{counted(len(late), 'transcript line')} "
                    f"{'starts' if len(late) == 1 else 'start'} "
                    f"after the audio ends at {end:g}s "
                    f"(first at {late[0].start:g}s); check their sec/time",
                    Severity.WARNING,
                    kind="transcript-past-audio-end",
                )
            )

    def finish(self) -> None:
        """Report host feed items that matched no episode."""
        if self.host_feed is not None:
            self.host_feed.report_unmatched()

    def _local(self, episode: Episode) -> Episode:
        assert self.show.media_dir is not None
        for ext in MEDIA_EXTENSIONS:
            path = self.show.media_dir / f"{episode.slug}{ext}"
            if path.is_file():
                enclosure = Enclosure(
                    self.show.dist_url(f"media/{path.name}"),
                    path.stat().st_size,
                    guess_audio_type(path.name),
                    self._duration(path),
                )
                return replace(episode, audio=Audio(enclosure, AudioSource.LOCAL_FILE))
        return episode

    def _duration(self, path: Path) -> float | None:
        try:
            import mutagen

            info = mutagen.File(path)
            seconds = float(info.info.length) if info is not None and info.info else None
            # a crafted header can claim any length: NaN, infinity and days of audio are no
            # duration a format can write
            if seconds is not None and not 0 <= seconds <= MAX_SECONDS:
                raise ValueError(f"the file claims {seconds:g}s, not within 0 to 100 hours")
            return seconds
        except Exception as exc:  # mutagen raises many kinds on broken files
            self.problems.append(
                Problem(
                    display_path(path),
                    None,
                    "audio",
                    f"cannot read the duration: {exc}",
                    Severity.WARNING,
                    kind="audio-duration-unreadable",
                )
            )
            return None
