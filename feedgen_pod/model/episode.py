"""The episode's vocabulary: people, transcript lines, chapters, cues, audio and the episode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import Enum
from functools import cached_property
from pathlib import Path

#: Words a second of ordinary speech, used to estimate how long a line takes to say.
WORDS_PER_SECOND = 2.5


def reading_time(text: str) -> float:
    """Seconds a line of text takes to speak, at least one second."""
    return max(1.0, len(text.split()) / WORDS_PER_SECOND)


@dataclass(frozen=True)
class Person:
    """A host or guest, from a people profile (or only a key when the profile is missing)."""

    key: str
    name: str
    picture: str | None = None
    github_url: str | None = None
    x_url: str | None = None
    linkedin_url: str | None = None
    website_url: str | None = None
    bio: str = ""
    source: Path | None = None
    #: line of each front matter field in ``source`` (``"github"`` → 6)
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    #: line in ``source`` where the bio (Markdown body) starts
    body_line: int = 0

    @property
    def same_as(self) -> tuple[str, ...]:
        """Profile URLs in a stable order: LinkedIn, GitHub, X, website."""
        urls = (self.linkedin_url, self.github_url, self.x_url, self.website_url)
        return tuple(u for u in urls if u)

    @property
    def has_profile(self) -> bool:
        return self.source is not None


@dataclass(frozen=True)
class TranscriptLine:
    """One spoken paragraph of the edited transcript."""

    text: str
    #: the speaker as best resolved: a profile's full name, else the name in the file, else None
    speaker: str | None
    #: start in seconds; interpolated when the file has no time for this line (see ``timed``)
    start: float
    #: True when the file gave a time for this line
    timed: bool = True
    #: line in the episode file where this entry starts
    source_line: int = 0


@dataclass(frozen=True)
class SectionHeader:
    """A ``{header: ...}`` entry: the start of a section, not spoken text."""

    title: str
    source_line: int = 0


TranscriptEntry = TranscriptLine | SectionHeader


@dataclass(frozen=True)
class Clip:
    """A ``quotableClips`` entry: a named span of the episode."""

    name: str
    start: float
    end: float | None
    url: str | None = None
    source_line: int = 0
    #: ``soundbite: true`` in the front matter: one of the show's best moments, fed first
    soundbite: bool = False


@dataclass(frozen=True)
class Chapter:
    """A normalised chapter: ``end`` is where the next starts, or the episode's end."""

    start: float
    end: float
    title: str
    url: str | None = None


@dataclass(frozen=True)
class TimestampEntry:
    """One ``HH:MM:SS Title`` line of a timestamp list."""

    start: float
    title: str
    source_line: int = 0


@dataclass(frozen=True)
class TimestampList:
    """A timestamp list file matched to an episode."""

    path: Path
    entries: tuple[TimestampEntry, ...]


@dataclass(frozen=True)
class RawCaption:
    """One ``m:ss text`` line of raw YouTube captions: accurate time, unedited words."""

    start: float
    text: str
    source_line: int = 0


@dataclass(frozen=True)
class RawCaptions:
    path: Path
    captions: tuple[RawCaption, ...]


@dataclass(frozen=True)
class Cue:
    """A timed caption cue, ready for any caption format."""

    start: float
    end: float
    text: str
    speaker: str | None = None


#: ``Enclosure.length`` of a file whose size the front matter does not give: the audio
#: resolver replaces it (the media file's size, the sizes cache, else 0) before any format runs
UNKNOWN_LENGTH = -1


@dataclass(frozen=True)
class Enclosure:
    """The audio file of an episode, as a feed enclosure needs it."""

    url: str
    length: int
    type: str = "audio/mpeg"
    duration: float | None = None


class AudioSource(str, Enum):
    FRONT_MATTER = "front matter"
    HOST_FEED = "host feed"
    LOCAL_FILE = "local file"


@dataclass(frozen=True)
class Audio:
    """Where an episode's enclosure came from, plus what the host feed knew about the item."""

    enclosure: Enclosure
    source: AudioSource
    #: the host feed item's guid, kept so apps do not show a moved episode twice
    guid: str | None = None
    #: the host feed's publication date, when the episode file has none
    published: date | None = None
    #: the same audio in other formats (Octopod's m4a, ogg, opus besides its mp3): each a
    #: ``podcast:alternateEnclosure``; a length the site does not give is ``UNKNOWN_LENGTH``
    #: until the audio resolver sizes it (0 when unknown, as on the enclosure)
    alternates: tuple[Enclosure, ...] = ()


@dataclass(frozen=True)
class LiveStream:
    """An episode's ``live:`` front matter: a stream apps can play before the recording is out.

    Times are timezone-aware. It becomes a ``podcast:liveItem`` while the episode has no audio.
    """

    start: datetime
    #: the planned end; without it the stream is live from ``start`` until the audio is out
    end: datetime | None
    #: the audio or video stream URL (the liveItem's enclosure) and its media type
    stream: str
    type: str
    #: the page to watch it on (its ``podcast:contentLink``); None: the episode page
    url: str | None = None

    def status(self, now: datetime | None) -> str:
        """``pending``, ``live`` or ``ended`` at ``now``; ``pending`` when no time is known."""
        if now is None or now < self.start:
            return "pending"
        if self.end is not None and now >= self.end:
            return "ended"
        return "live"


@dataclass(frozen=True)
class Episode:
    """One episode, loaded and validated from its Markdown file."""

    slug: str
    source: Path
    title: str
    short: str | None = None
    season: int | None = None
    number: int | None = None
    guests: tuple[Person, ...] = ()
    image: str | None = None
    youtube_id: str | None = None
    anchor_id: str | None = None
    #: platform → URL (youtube, spotify, apple, anchor); placeholders like TODO dropped
    links: Mapping[str, str] = field(default_factory=dict)
    intro: str | None = None
    description: str | None = None
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    published: date | None = None
    #: the moment of publication (timezone-aware) when the file gives a time of day, or the
    #: show sets a ``release_time``; None: the feed dates the item at noon UTC of ``published``
    released: datetime | None = None
    modified: date | None = None
    #: the ``duration`` front matter field, in seconds (often too short: see ``duration``)
    declared_duration: float | None = None
    clips: tuple[Clip, ...] = ()
    transcript: tuple[TranscriptEntry, ...] = ()
    #: show notes: the Markdown body after the front matter
    notes: str = ""
    #: line in ``source`` where ``notes`` starts
    notes_line: int = 0
    timestamps: TimestampList | None = None
    captions: RawCaptions | None = None
    audio: Audio | None = None
    #: the page's name on the site, as Jekyll's ``:title`` gives it (front matter ``slug``, else
    #: the file name without its last extension): ``{slug}`` in ``episode_url``; "" → ``slug``
    page_slug: str = ""
    #: the front matter ``permalink`` (a path on the site): the episode page, when given
    permalink: str | None = None
    #: ``itunes:episodeType``: full, trailer (also a channel ``podcast:trailer``) or bonus
    episode_type: str = "full"
    #: the item's ``podcast:license`` (name, url or None), overriding the show's
    license: tuple[str, str | None] | None = None
    #: the item's ``itunes:explicit`` when the file sets one; None: the show's
    explicit: bool | None = None
    #: an upcoming or running live stream (``podcast:liveItem`` until the episode has audio)
    live: LiveStream | None = None
    #: normalised chapters, filled by ``derive`` from headers, clips or a timestamp list
    chapters: tuple[Chapter, ...] = ()
    #: caption cues, filled by ``derive`` from the transcript (aligned to raw captions if any)
    cues: tuple[Cue, ...] = ()
    #: line of each front matter field (dotted: ``links.youtube``, ``quotableClips.2.url``)
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    #: this episode's ``<item>`` as the feed holds it, rendered where the episode was built (a
    #: worker, or a past build when reused): the feed, made in one process from every
    #: episode, then splices bytes instead of rendering thousands of items again
    feed_item: bytes | None = field(default=None, compare=False, repr=False)

    @cached_property
    def lines(self) -> tuple[TranscriptLine, ...]:
        """The spoken lines of the transcript, without section headers."""
        return tuple(e for e in self.transcript if isinstance(e, TranscriptLine))

    @cached_property
    def transcript_end(self) -> float | None:
        """When the last transcript line is estimated to end."""
        lines = self.lines
        if not lines:
            return None
        last = max(lines, key=lambda ln: ln.start)
        return last.start + reading_time(last.text)

    @property
    def duration(self) -> float | None:
        """The best-known length: the audio's, else the longer of the declared and transcript ends.

        The ``duration`` field in the archive was computed as last minus first ``sec``, so it is
        usually shorter than the transcript itself; the host's duration is the real length.
        """
        if self.audio and self.audio.enclosure.duration:
            return self.audio.enclosure.duration
        known = [d for d in (self.declared_duration, self.transcript_end) if d is not None]
        return max(known) if known else None

    @property
    def pub_date(self) -> date | None:
        """Publication date: the file's, else the host feed's."""
        if self.published:
            return self.published
        return self.audio.published if self.audio else None

    @property
    def pub_moment(self) -> datetime | None:
        """The item's pubDate: ``released`` when known, else noon UTC of ``pub_date``."""
        if self.released is not None:
            return self.released
        day = self.pub_date
        if day is None:
            return None
        return datetime(day.year, day.month, day.day, 12, 0, tzinfo=timezone.utc)

    def line_of(self, field_path: str) -> int | None:
        return self.field_lines.get(field_path)
