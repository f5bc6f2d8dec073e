"""schema.org JSON-LD for one episode: ``episode.jsonld`` and ``episode.jsonld.html``.

One ``@graph``: the ``PodcastEpisode``, its ``AudioObject`` (the feed's enclosure, byte for
byte the same URL, type, length and duration), the YouTube ``VideoObject`` with a ``Clip`` per
chapter (search engines' key moments), the season, the series, the publisher and the people.
A property the data does not have is left out: no made-up durations, no template strings.
"""

from __future__ import annotations

from ..model import Episode, Show
from . import Output, Rendered, episode_path
from .jsonld_common import (
    Node,
    absolute,
    compact,
    day,
    document,
    dumps,
    duration,
    episode_id,
    episode_url,
    html_to_text,
    json_text,
    organization_id,
    organization_node,
    person_id,
    person_node,
    ref,
    safe_url,
    script_element,
    season_id,
    series_id,
    series_node,
    unique_people,
)

JSONLD_FILE = "episode.jsonld"
HTML_FILE = "episode.jsonld.html"
#: ``links`` keys that are places to watch or listen; other keys (slides, blog) are no action
WATCH_PLATFORMS = frozenset({"youtube", "vimeo"})
LISTEN_PLATFORMS = frozenset(
    {"anchor", "apple", "spotify", "google", "amazon", "audible", "castbox", "deezer"}
    | {"iheart", "overcast", "pocketcasts", "podbean", "podcastaddict", "rss", "stitcher"}
    | {"tunein", "castro", "player_fm", "playerfm", "soundcloud", "youtube_music"}
)


def episode_outputs(show: Show, episode: Episode) -> Rendered:
    doc = episode_document(show, episode)
    text = json_text(doc)  # one encoding for both files
    return Rendered(
        (
            Output(episode_path(episode, JSONLD_FILE), dumps(doc, text), episode.slug),
            Output(episode_path(episode, HTML_FILE), script_element(doc, text), episode.slug),
        )
    )


def episode_document(show: Show, episode: Episode) -> dict:
    """The episode's graph as data (JSON-ready)."""
    base = episode_url(show, episode)
    transcript = transcript_text(episode)
    audio = audio_node(show, episode, base, transcript)
    video = video_node(show, episode, base, transcript)
    hosts = list(show.hosts)
    host_keys = {p.key for p in hosts}
    guests = [p for p in unique_people(episode.guests) if p.key not in host_keys]
    page: Node = compact(
        {
            "@type": "PodcastEpisode",
            "@id": episode_id(show, episode),
            "url": base,
            "name": episode.title,
            "description": description(episode),
            "datePublished": day(episode.pub_date),
            "dateModified": day(episode.modified),
            "duration": duration(episode.duration),
            "episodeNumber": episode.number,
            "partOfSeason": (
                ref(season_id(show, episode.season)) if episode.season is not None else None
            ),
            "partOfSeries": ref(series_id(show)),
            "image": absolute(show, episode.image),
            "keywords": keywords(episode),
            "inLanguage": show.language,
            "publisher": ref(organization_id(show)),
            "actor": [ref(person_id(show, p)) for p in hosts],
            "contributor": [ref(person_id(show, p)) for p in guests],
            "associatedMedia": ref(audio["@id"]) if audio else None,
            "video": ref(video["@id"]) if video else None,
            "potentialAction": actions(episode),
        }
    )
    nodes: list[Node] = [page]
    nodes += [n for n in (audio, video) if n]
    if episode.season is not None:
        nodes.append(season_node(show, episode.season))
    nodes.append(series_node(show))
    nodes.append(organization_node(show))
    nodes += [person_node(show, p) for p in unique_people(hosts, guests)]
    return document(nodes)


def description(episode: Episode) -> str | None:
    """The short ``description`` field (written for search results), else the intro as text."""
    return html_to_text(episode.description) or html_to_text(episode.intro)


def keywords(episode: Episode) -> list[str]:
    """Topics then keywords, each once (case-insensitively), in the file's order."""
    seen: dict[str, str] = {}
    for word in (*episode.topics, *episode.keywords):
        seen.setdefault(word.casefold(), word)
    return list(seen.values())


def transcript_text(episode: Episode) -> str | None:
    """The spoken lines as plain text, one paragraph each, ``Speaker: text`` when known."""
    paragraphs = [
        f"{line.speaker}: {line.text.strip()}" if line.speaker else line.text.strip()
        for line in episode.lines
        if line.text.strip()
    ]
    return "\n\n".join(paragraphs) or None


def audio_node(show: Show, episode: Episode, base: str, transcript: str | None) -> Node | None:
    """The enclosure as an ``AudioObject``; None when the episode has no audio."""
    if not episode.audio:
        return None
    enclosure = episode.audio.enclosure
    return compact(
        {
            "@type": "AudioObject",
            "@id": base + "#audio",
            "name": episode.title,
            "contentUrl": safe_url(enclosure.url),
            "encodingFormat": enclosure.type,
            "contentSize": str(enclosure.length) if enclosure.length > 0 else None,
            "duration": duration(episode.duration),
            "transcript": transcript,
        }
    )


def youtube_watch(video_id: str, at: float | None = None) -> str:
    url = f"https://www.youtube.com/watch?v={video_id}"
    # the same ``&t=Ns`` form as the chapter files' links
    return url if at is None else f"{url}&t={int(at)}s"


def video_node(show: Show, episode: Episode, base: str, transcript: str | None) -> Node | None:
    """The YouTube recording, with a ``Clip`` per chapter; None without a YouTube id."""
    video_id = episode.youtube_id
    if not video_id:
        return None
    clips = [
        compact(
            {
                "@type": "Clip",
                "name": chapter.title,
                "startOffset": _seconds(chapter.start),
                "endOffset": _seconds(chapter.end) if chapter.end > chapter.start else None,
                "url": youtube_watch(video_id, chapter.start),
            }
        )
        for chapter in episode.chapters
    ]
    return compact(
        {
            "@type": "VideoObject",
            "@id": base + "#video",
            "name": episode.title,
            "description": description(episode),
            "embedUrl": f"https://www.youtube.com/embed/{video_id}",
            "contentUrl": youtube_watch(video_id),
            "thumbnailUrl": f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg",
            "uploadDate": day(episode.pub_date),
            "duration": duration(episode.duration),
            "inLanguage": show.language,
            "transcript": transcript,
            "hasPart": clips,
        }
    )


def _seconds(value: float) -> int | float:
    """Whole seconds as an integer (what key-moment tools expect), fractions to milliseconds."""
    return int(value) if float(value).is_integer() else round(value, 3)


def actions(episode: Episode) -> list[Node]:
    """A ``ListenAction`` per podcast platform and a ``WatchAction`` per video platform."""
    found = []
    for platform, url in sorted(episode.links.items()):
        key = platform.lower()
        if key in WATCH_PLATFORMS or key in LISTEN_PLATFORMS:
            kind = "WatchAction" if key in WATCH_PLATFORMS else "ListenAction"
            found.append({"@type": kind, "target": safe_url(url)})
    return found


def season_node(show: Show, season: int) -> Node:
    return {
        "@type": "PodcastSeason",
        "@id": season_id(show, season),
        "seasonNumber": season,
        "partOfSeries": ref(series_id(show)),
    }
