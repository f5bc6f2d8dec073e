"""What a feed item links to besides its audio: transcripts, chapters, soundbites, people.

Derived only from the model, so the feed and the files in ``dist/`` always agree: an episode
with cues has every transcript file, one with chapters has ``chapters.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Episode, Person, Show
from . import episode_path

#: transcript files: (file name, MIME type, rel); "captions" marks the timed caption formats
TRANSCRIPT_FILES: tuple[tuple[str, str, str | None], ...] = (
    ("transcript.vtt", "text/vtt", "captions"),
    ("transcript.srt", "application/x-subrip", "captions"),
    ("transcript.json", "application/json", None),
    ("transcript.html", "text/html", None),
)
CHAPTERS_FILE = "chapters.json"
CHAPTERS_TYPE = "application/json+chapters"
#: the Podcasting 2.0 spec recommends soundbites of 15 to 120 seconds
SOUNDBITE_MIN, SOUNDBITE_MAX = 15.0, 120.0
#: soundbites not marked in the front matter are taken after the introduction
SOUNDBITE_AFTER = 120.0


@dataclass(frozen=True)
class TranscriptLink:
    url: str
    type: str
    language: str
    rel: str | None


@dataclass(frozen=True)
class ChaptersLink:
    url: str
    type: str = CHAPTERS_TYPE


@dataclass(frozen=True)
class PersonTag:
    name: str
    role: str = "host"
    href: str | None = None
    img: str | None = None
    group: str = "cast"


@dataclass(frozen=True)
class Soundbite:
    start: float
    duration: float
    title: str


def transcript_links(show: Show, episode: Episode) -> list[TranscriptLink]:
    if not episode.cues:
        return []
    return [
        TranscriptLink(show.dist_url(episode_path(episode, name)), kind, show.language, rel)
        for name, kind, rel in TRANSCRIPT_FILES
    ]


def chapters_link(show: Show, episode: Episode) -> ChaptersLink | None:
    if not episode.chapters:
        return None
    return ChaptersLink(show.dist_url(episode_path(episode, CHAPTERS_FILE)))


def soundbites(episode: Episode, limit: int) -> list[Soundbite]:
    """At most ``limit`` soundbites from ``quotableClips``, in time order: the clips marked
    ``soundbite: true`` first (trimmed to their first 120 s, skipped under 15 s), then the
    first clips of 15-120 s that start after the first two minutes (an introduction is rarely a
    best moment). None runs past the episode's end; chapters and JSON-LD keep every clip."""
    end_of_episode = episode.duration
    marked: list[Soundbite] = []
    others: list[Soundbite] = []
    for clip in episode.clips:
        end = clip.end
        if end is None:
            continue
        if end_of_episode is not None:
            end = min(end, end_of_episode)
        length = end - clip.start
        if clip.soundbite and length >= SOUNDBITE_MIN:
            marked.append(Soundbite(clip.start, round(min(length, SOUNDBITE_MAX), 3), clip.name))
        elif clip.start >= SOUNDBITE_AFTER and SOUNDBITE_MIN <= length <= SOUNDBITE_MAX:
            others.append(Soundbite(clip.start, round(length, 3), clip.name))
    chosen = (marked + others)[:limit]
    return sorted(chosen, key=lambda bite: bite.start)


def person_tag(show: Show, person: Person, role: str) -> PersonTag:
    href = person.website_url or (person.same_as[0] if person.same_as else None)
    return PersonTag(person.name, role, href, show.absolute(person.picture))


def persons(show: Show, episode: Episode | None) -> tuple[PersonTag, ...]:
    """Hosts, then guests who are not hosts (one tag per person); the channel's: hosts."""
    found = [person_tag(show, host, "host") for host in show.hosts]
    hosts = {h.key for h in show.hosts}
    if episode is not None:
        found += [person_tag(show, g, "guest") for g in episode.guests if g.key not in hosts]
    return tuple(found)
