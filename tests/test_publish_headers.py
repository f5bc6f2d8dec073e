"""``publish.headers_file``: the ``_headers`` file Netlify and Cloudflare Pages read, checked
the way they read it (a path with ``*`` matching any text, every matching rule applied)."""

from __future__ import annotations

import re
from pathlib import Path

from test_publish import FILES, bucket, s3_endpoint, write_dist

from feedgen_pod.build import manifest
from feedgen_pod.contenttypes import http_content_type
from feedgen_pod.model import PublishSettings
from feedgen_pod.publish import publish

__all__ = ["bucket", "s3_endpoint"]  # fixtures shared with test_publish

SETTINGS = PublishSettings(headers_file=True)


def read_rules(data: bytes) -> dict[str, dict[str, str]]:
    """``_headers`` as rule → headers: a path line, then indented ``Name: value`` lines."""
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in data.decode("utf-8").splitlines():
        if line.startswith("/"):
            current = rules.setdefault(line, {})
        else:
            assert line.startswith("  ") and current is not None, line
            name, _, value = line.strip().partition(": ")
            assert name not in current, f"{name} twice"
            current[name] = value
    return rules


def served_headers(rules: dict[str, dict[str, str]], path: str) -> list[dict[str, str]]:
    """The headers of every rule that matches ``/path``, as the hosts combine them."""
    out = []
    for rule, headers in rules.items():
        pattern = re.escape(rule).replace(r"\*", ".*")
        if re.fullmatch(pattern, "/" + path):
            out.append(headers)
    return out


def expected(path: str, episode: bool) -> dict[str, str]:
    headers = {
        "Content-Type": http_content_type(path),
        "Cache-Control": "public, max-age=86400" if episode else "public, max-age=300",
    }
    name = path.rpartition("/")[2]
    if name.startswith(("transcript.", "chapters.")):
        headers["Access-Control-Allow-Origin"] = "*"
    return headers


def check_every_file(site: Path, files: dict[str, tuple[bytes, str | None]]) -> dict:
    rules = read_rules((site / "_headers").read_bytes())
    for path, (_, episode) in {**files, "manifest.json": (b"", None)}.items():
        matched = served_headers(rules, path)
        assert matched == [expected(path, episode is not None)], path  # exactly one rule
    return rules


def test_folder_gets_headers_for_every_file_with_cors_for_transcripts_and_chapters(tmp_path):
    episodes = {
        f"episodes/{slug}/{name}": (f"{slug}{name}".encode(), slug)
        for slug in ("a", "b", "c-d")
        for name in ("transcript.vtt", "transcript.json", "chapters.json", "episode.jsonld")
    }
    files = {"feed.xml": FILES["feed.xml"], "podcast.jsonld": FILES["podcast.jsonld"], **episodes}
    dist = write_dist(tmp_path / "dist", files)
    site = tmp_path / "site"
    first = publish(dist, str(site), SETTINGS)
    order = [s.path for s in first.plan.steps]
    assert order[-3:] == ["_headers", "feed.xml", "manifest.json"]
    rules = check_every_file(site, files)
    assert len(rules) == 3 + 4  # show files one each; one rule per episode file name
    assert rules["/episodes/*/chapters.json"]["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in rules["/feed.xml"]
    assert "_headers" not in manifest.read(site)  # not ours to delete or compare

    again = publish(dist, str(site), SETTINGS)
    assert again.plan.steps == []  # unchanged: not rewritten
    off = publish(dist, str(site), PublishSettings(), delete=True)
    assert off.plan.steps == [] and (site / "_headers").exists()


def test_a_file_a_pattern_would_wrongly_cover_gets_rules_of_its_own(tmp_path):
    files = {
        **FILES,
        # a show-level file where an episode file's pattern would match (another cache time)
        "episodes/all/chapters.json": (b'{"version": "1.2.0"}', None),
        "episodes/b/chapters.json": (b'{"version": "1.2.0", "chapters": [1]}', "b"),
    }
    dist = write_dist(tmp_path / "dist", files)
    site = tmp_path / "site"
    publish(dist, str(site), SETTINGS)
    rules = check_every_file(site, files)
    assert "/episodes/*/chapters.json" not in rules
    assert "/episodes/*/transcript.vtt" in rules


def test_s3_targets_say_the_setting_is_for_folders(tmp_path, s3_endpoint, bucket):
    dist = write_dist(tmp_path / "dist", FILES)
    result = publish(dist, f"s3://{bucket}", SETTINGS, endpoint_url=s3_endpoint, dry_run=True)
    assert any("headers_file is for folder targets" in w for w in result.warnings)
    assert "_headers" not in [s.path for s in result.plan.steps]
