"""Configs for the real shows in ../shared/shows, as a user writes them for each site layout.

Each is the show's settings as its site already has them (site URL, media prefix, permalink
style), so a build from an untouched copy of ``site/`` gives the site's own feed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import SHARED

SHOWS = SHARED / "shows"

COMMON = {
    "description": "A show built from its own site's files.",
    "language": "en",
    "author": "Someone",
    "owner_name": "Someone",
    "owner_email": "someone@example.org",
    "image": "https://example.org/cover.jpg",
    "categories": ["Technology"],
}

CONFIGS: dict[str, dict] = {
    "castanet-example": {
        "title": "HugoCast",
        "site_url": "https://example.com/",
        "feed_url": "https://example.com/episode/index.xml",
        "base_url": "https://example.com/feedgen",
        "preset": "castanet",
        "episodes_dir": "content/episode",
        "media_url": "https://media.blubrry.com/arresteddevops/content.blubrry.com/arresteddevops/",
        "permalink": "/:contentbasename/",
    },
    "arresteddevops": {
        "title": "Arrested DevOps",
        "site_url": "https://www.arresteddevops.com/",
        "feed_url": "https://www.arresteddevops.com/episode/index.xml",
        "base_url": "https://www.arresteddevops.com/feedgen",
        "preset": "castanet",
        "episodes_dir": "content/episode",
        "media_url": "https://media.blubrry.com/arresteddevops/content.blubrry.com/arresteddevops/",
        "permalink": "/:filename/",
    },
    "thebakery": {
        "title": "The Developers' Bakery",
        "site_url": "https://thebakery.dev",
        "feed_url": "https://thebakery.dev/podcast.xml",
        "base_url": "https://thebakery.dev/feedgen",
        "preset": "jekyll-podcast",
        "episodes_dir": "_posts",
        "release_time": "00:00",
        "timezone": "Europe/London",
    },
    "amillpod-astropod": {
        "title": "Amillenialism with Kim Riddlebarger",
        "site_url": "https://lucent-strudel-bbfdc9.netlify.app",
        "feed_url": "https://lucent-strudel-bbfdc9.netlify.app/rss.xml",
        "base_url": "https://lucent-strudel-bbfdc9.netlify.app/feedgen",
        "preset": "astropod",
        "episodes_dir": "src/content/episode",
        "page_base_url": "http://lucent-strudel-bbfdc9.netlify.app",
        "media_url": "http://lucent-strudel-bbfdc9.netlify.app",
        "release_time": "12:00",
    },
    "breadcrumbs-eleventy": {
        "title": "Breadcrumbs",
        "site_url": "https://breadcrumbs.fm",
        "feed_url": "https://breadcrumbs.fm/feed.xml",
        "base_url": "https://breadcrumbs.fm/feedgen",
        "preset": "flat",
        "episodes_dir": "content/episodes",
        "media_url": "https://op3.dev/e,pg=cf7304fb-e880-54ff-91c4-f639c6338f31/media.breadcrumbs.fm/",
    },
    "octopod-staging": {
        "title": "Octopod",
        "site_url": "https://octopod.example.org",
        "feed_url": "https://octopod.example.org/episodes.mp3.rss",
        "base_url": "https://octopod.example.org/feedgen",
        "preset": "octopod",
        "episodes_dir": "_posts",
        "media_url": "https://octopod.example.org/episodes/",
    },
}


def site_copy(name: str, tmp: Path) -> tuple[Path, Path]:
    """A copy of the show's ``site/`` with its config written in it: (site, config)."""
    site = tmp / name
    shutil.copytree(SHOWS / name / "site", site)
    config = site / "feedgen-pod.yaml"
    config.write_text(yaml.safe_dump({**COMMON, **CONFIGS[name]}, sort_keys=False))
    return site, config
