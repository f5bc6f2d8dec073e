"""What an upload sends: the built episodes in ``dist/``, read from its manifest and feed.

Uploads read the build's output, not the episode files: a host gets exactly the bytes the
feed links to, and an episode is known by what listeners' apps know it by (its guid, audio URL
and title in ``feed.xml``). The manifest's SHA-256 of each file is its content hash in the
upload state, so an unchanged file costs no call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import orjson
from lxml import etree

from ..errors import FeedgenPodError

PODCAST_NS = "https://podcastindex.org/namespace/1.0"

#: the sidecar kinds an upload can send, by their file name in an episode's folder
FILES = {
    "transcript.srt": "transcript_srt",
    "transcript.vtt": "transcript_vtt",
    "transcript.json": "transcript_json",
    "chapters.json": "chapters_json",
    "chapters.txt": "chapters_youtube",
}


class DistUnreadable(FeedgenPodError):
    """``dist/`` has no readable manifest or feed: build first."""


@dataclass(frozen=True)
class Sidecar:
    """One file of an episode's folder in ``dist/`` with the manifest's hash of it."""

    path: Path
    sha256: str

    def read_text(self) -> str:
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class BuiltEpisode:
    """An episode as the feed published it, with its sidecar files."""

    slug: str
    title: str
    guid: str
    audio_url: str
    youtube_id: str | None
    files: Mapping[str, Sidecar] = field(default_factory=dict)


def youtube_id(url: str) -> str | None:
    """The video id of a YouTube watch or short link.

    >>> youtube_id("https://www.youtube.com/watch?v=B2tzuUg5uZs")
    'B2tzuUg5uZs'
    >>> youtube_id("https://youtu.be/B2tzuUg5uZs") is None
    False
    >>> youtube_id("https://example.com/watch?v=x") is None
    True
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        return parts.path.strip("/") or None
    if host == "youtube.com":
        return next(iter(parse_qs(parts.query).get("v", [])), None)
    return None


def read_dist(dist: Path) -> list[BuiltEpisode]:
    """Every episode of the last build, in the feed's order (newest first)."""
    manifest_path, feed_path = dist / "manifest.json", dist / "feed.xml"
    try:
        manifest = orjson.loads(manifest_path.read_bytes())
        feed = etree.parse(str(feed_path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, ValueError, etree.XMLSyntaxError) as exc:
        raise DistUnreadable(
            f"{dist}: cannot read the build's manifest.json and feed.xml ({exc}); "
            "run `feedgen-pod build` first"
        ) from None
    files: dict[str, dict[str, Sidecar]] = {}
    for entry in manifest.get("files", []):
        slug, path = entry.get("episode"), entry.get("path", "")
        kind = FILES.get(path.rsplit("/", 1)[-1])
        if slug and kind:
            files.setdefault(slug, {})[kind] = Sidecar(dist / path, entry.get("sha256", ""))
    episodes = []
    for item in feed.getroot().iter("item"):
        slug = _slug(item, files)
        if slug is None:
            continue
        enclosure = item.find("enclosure")
        content = [el.get("href", "") for el in item.iter(f"{{{PODCAST_NS}}}contentLink")]
        ids = [vid for vid in map(youtube_id, content) if vid]
        episodes.append(
            BuiltEpisode(
                slug=slug,
                title=(item.findtext("title") or "").strip(),
                guid=(item.findtext("guid") or "").strip(),
                audio_url=enclosure.get("url", "") if enclosure is not None else "",
                youtube_id=ids[0] if ids else None,
                files=files.get(slug, {}),
            )
        )
    return episodes


def _slug(item: etree._Element, files: Mapping[str, object]) -> str | None:
    """The episode folder an item's transcript or chapters link points into."""
    links = [el.get("url", "") for el in item.iter(f"{{{PODCAST_NS}}}transcript")]
    links += [el.get("url", "") for el in item.iter(f"{{{PODCAST_NS}}}chapters")]
    links.append(item.findtext("link") or "")
    for link in links:
        parts = urlsplit(link).path.rstrip("/").split("/")
        for slug in (parts[-2] if len(parts) > 1 else "", parts[-1].rsplit(".", 1)[0]):
            if slug in files:
                return slug
    return None
