"""The ``_headers`` file of a folder target: the headers S3 objects carry, for static hosts.

Netlify and Cloudflare Pages read ``_headers`` at the site's root: a path (``*`` matching any
text) on its own line, then indented ``Name: value`` lines. Both combine the headers of every
rule that matches, so no two rules here ever match one file. Per-episode files share a rule per
file name (``/episodes/*/chapters.json``), keeping a show of thousands of files within
Cloudflare's limit of 100 rules; a file that such a pattern would wrongly cover gets a rule of
its own and the pattern is not used.

Transcripts and chapters are fetched by in-browser players on other origins, so they are sent
with ``Access-Control-Allow-Origin: *``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..build.manifest import FileEntry
from ..contenttypes import http_content_type

HEADERS_FILE = "_headers"


def needs_cors(path: str) -> bool:
    """Transcripts and chapters: what web players load from another origin."""
    name = path.rpartition("/")[2]
    return name.startswith(("transcript.", "chapters."))


def file_headers(path: str, cache_control: str) -> tuple[tuple[str, str], ...]:
    headers = [("Content-Type", http_content_type(path)), ("Cache-Control", cache_control)]
    if needs_cors(path):
        headers.append(("Access-Control-Allow-Origin", "*"))
    return tuple(headers)


def headers_file(
    entries: Mapping[str, FileEntry | None],
    cache_control: Callable[[str, FileEntry | None], str],
) -> bytes:
    """``_headers`` for the files in ``entries`` (path → manifest entry), sorted by rule."""
    exact: dict[str, tuple[tuple[str, str], ...]] = {}
    patterns: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {}
    for path, entry in entries.items():
        headers = file_headers(path, cache_control(path, entry))
        pattern = _episode_pattern(path, entry)
        if pattern is None:
            exact["/" + path] = headers
        else:
            patterns.setdefault(pattern, {})["/" + path] = headers
    rules = dict(exact)
    for pattern, members in patterns.items():
        matcher = re.compile(re.escape(pattern).replace(r"\*", ".*"))
        others = [p for p in entries if "/" + p not in members and matcher.fullmatch("/" + p)]
        if len(set(members.values())) == 1 and not others:
            rules[pattern] = next(iter(members.values()))
        else:
            rules.update(members)
    lines = []
    for rule in sorted(rules):
        lines.append(rule)
        lines += [f"  {name}: {value}" for name, value in rules[rule]]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _episode_pattern(path: str, entry: FileEntry | None) -> str | None:
    """``/episodes/*/chapters.json`` for ``episodes/<slug>/chapters.json`` of episode <slug>."""
    if entry is None or not entry.episode:
        return None
    head, slug, rest = path.split("/", 2) if path.count("/") >= 2 else ("", "", "")
    if slug != entry.episode or not rest or "*" in path:
        return None
    return f"/{head}/*/{rest}"
