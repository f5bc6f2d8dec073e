"""``feedgen-pod publish`` to a folder and to a real S3-compatible server (moto) on 127.0.0.1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from feedgen_pod.build import manifest
from feedgen_pod.build.cache import hash_bytes
from feedgen_pod.cli import main
from feedgen_pod.config_publish import as_publish
from feedgen_pod.contenttypes import content_type
from feedgen_pod.errors import ConfigError
from feedgen_pod.model import PublishSettings
from feedgen_pod.publish import PublishError, plan, publish
from feedgen_pod.publish.targets import open_target

FILES = {
    "feed.xml": (b"<rss version='2.0'/>", None),
    "podcast.jsonld": (b'{"@type": "PodcastSeries"}', None),
    "episodes/a/transcript.vtt": (b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", "a"),
    "episodes/a/transcript.srt": (b"1\n00:00:00,000 --> 00:00:01,000\nHi\n", "a"),
    "episodes/a/chapters.json": (b'{"version": "1.2.0", "chapters": []}', "a"),
    "episodes/b/transcript.json": (b'{"version": "1.0.0", "segments": []}', "b"),
}


def entry_for(path: str, data: bytes, episode: str | None) -> manifest.FileEntry:
    """The manifest entry a build writes for a file."""
    return manifest.FileEntry(path, len(data), hash_bytes(data), content_type(path), episode)


def write_dist(root: Path, files: dict[str, tuple[bytes, str | None]]) -> Path:
    """A dist folder as the build leaves it: the files and their manifest."""
    entries = []
    for path, (data, episode) in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        entries.append(entry_for(path, data, episode))
    (root / manifest.MANIFEST).write_bytes(manifest.dumps(entries))
    return root


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, request) -> str:
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    name = "show-" + request.node.name.replace("_", "-")[:40].lower()
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return name


def objects(endpoint: str, bucket: str) -> dict[str, dict]:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint)
    listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: client.head_object(Bucket=bucket, Key=o["Key"]) for o in listing}


def test_s3_sends_only_what_changed(tmp_path, s3_endpoint, bucket):
    dist = write_dist(tmp_path / "dist", FILES)
    to = f"s3://{bucket}/podcast"
    first = publish(dist, to, PublishSettings(), endpoint_url=s3_endpoint)
    assert len(first.plan.uploads) == len(FILES) + 1
    remote = objects(s3_endpoint, bucket)
    assert set(remote) == {f"podcast/{p}" for p in [*FILES, "manifest.json"]}
    assert remote["podcast/feed.xml"]["ContentType"] == "application/rss+xml"
    assert remote["podcast/feed.xml"]["CacheControl"] == "public, max-age=300"
    vtt = remote["podcast/episodes/a/transcript.vtt"]
    assert vtt["ContentType"] == "text/vtt; charset=utf-8"
    assert vtt["CacheControl"] == "public, max-age=86400"
    assert remote["podcast/episodes/a/transcript.srt"]["ContentType"] == "application/x-subrip"
    chapters = remote["podcast/episodes/a/chapters.json"]["ContentType"]
    assert chapters == "application/json+chapters"
    assert remote["podcast/podcast.jsonld"]["ContentType"] == "application/ld+json"

    again = publish(dist, to, PublishSettings(), endpoint_url=s3_endpoint)
    assert again.plan.steps == [] and again.plan.unchanged == len(FILES)

    changed = dict(FILES)
    changed["episodes/b/transcript.json"] = (b'{"version": "1.0.0", "segments": [1]}', "b")
    changed["feed.xml"] = (b"<rss version='2.0'><channel/></rss>", None)
    write_dist(dist, changed)
    third = publish(dist, to, PublishSettings(), endpoint_url=s3_endpoint)
    order = [s.path for s in third.plan.steps]
    assert order == ["episodes/b/transcript.json", "feed.xml", "manifest.json"]
    import boto3

    body = (
        boto3.client("s3", endpoint_url=s3_endpoint)
        .get_object(Bucket=bucket, Key="podcast/feed.xml")["Body"]
        .read()
    )
    assert body == changed["feed.xml"][0]


def test_s3_delete_only_when_asked_and_dry_run_sends_nothing(tmp_path, s3_endpoint, bucket):
    dist = write_dist(tmp_path / "dist", FILES)
    to = f"s3://{bucket}"
    dry = publish(dist, to, PublishSettings(), dry_run=True, endpoint_url=s3_endpoint)
    assert len(dry.plan.uploads) == len(FILES) + 1
    assert objects(s3_endpoint, bucket) == {}

    publish(dist, to, PublishSettings(), endpoint_url=s3_endpoint)
    fewer = {k: v for k, v in FILES.items() if not k.startswith("episodes/b/")}
    (dist / "episodes/b/transcript.json").unlink()
    write_dist(dist, fewer)
    kept = publish(dist, to, PublishSettings(), endpoint_url=s3_endpoint)
    assert kept.plan.deletes == []
    assert "episodes/b/transcript.json" in objects(s3_endpoint, bucket)
    # the published manifest still lists b (it is still there), so --delete later finds it
    gone = publish(dist, to, PublishSettings(), delete=True, endpoint_url=s3_endpoint)
    assert [s.path for s in gone.plan.deletes] == ["episodes/b/transcript.json"]
    assert [s.path for s in gone.plan.steps][-1] == "manifest.json"
    assert "episodes/b/transcript.json" not in objects(s3_endpoint, bucket)


def test_cli_publish_to_s3_with_endpoint(tmp_path, s3_endpoint, bucket, capsys):
    dist = write_dist(tmp_path / "dist", FILES)
    code = main(
        [
            "publish",
            "--dist",
            str(dist),
            "--to",
            f"s3://{bucket}/x",
            "--endpoint-url",
            s3_endpoint,
            "--config",
            str(tmp_path / "none.yaml"),
        ]
    )
    assert code == 2  # a config that does not exist is a usage error
    code = main(["publish", "--dist", str(dist), "--to", f"s3://{bucket}/x", "--endpoint-url",
                 s3_endpoint, "--config", str(ROOT / "config" / "podcast.yaml")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "uploaded 7 files" in out
    assert len(objects(s3_endpoint, bucket)) == len(FILES) + 1


def test_directory_target_mirrors_dist_and_sends_only_changes(tmp_path):
    dist = write_dist(tmp_path / "dist", FILES)
    site = tmp_path / "site"
    first = publish(dist, str(site), PublishSettings())
    assert {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()} == {
        *FILES,
        "manifest.json",
    }
    mtimes = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    assert len(first.plan.uploads) == len(FILES) + 1
    second = publish(dist, str(site), PublishSettings())
    assert second.plan.steps == []
    assert mtimes == {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    (site / "index.html").write_text("not ours", encoding="utf-8")
    fewer = {k: v for k, v in FILES.items() if k != "episodes/b/transcript.json"}
    (dist / "episodes/b/transcript.json").unlink()
    write_dist(dist, fewer)
    third = publish(dist, str(site), PublishSettings(), delete=True)
    assert [s.path for s in third.plan.deletes] == ["episodes/b/transcript.json"]
    assert not (site / "episodes" / "b").exists()
    assert (site / "index.html").read_text(encoding="utf-8") == "not ours"


def test_refuses_a_file_changed_after_the_build(tmp_path):
    dist = write_dist(tmp_path / "dist", FILES)
    (dist / "feed.xml").write_bytes(b"edited by hand")
    with pytest.raises(PublishError, match="changed since the build"):
        publish(dist, str(tmp_path / "site"), PublishSettings())
    with pytest.raises(PublishError, match="run `feedgen-pod build` first"):
        publish(tmp_path / "nothing", str(tmp_path / "site"), PublishSettings())


def test_missing_boto3_is_a_clear_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)
    with pytest.raises(ConfigError, match=r"pip install 'feedgen-pod\[s3\]'"):
        open_target("s3://bucket/prefix")


def test_settings_from_config_and_plan_order():
    settings = as_publish({"feed_cache_control": "no-cache"}, "publish")
    assert settings.feed_cache_control == "no-cache"
    assert settings.file_cache_control == "public, max-age=86400"
    with pytest.raises(ValueError, match=r"^cache: unknown"):
        as_publish({"cache": "x"}, "publish")
    local = {p: entry_for(p, d, e) for p, (d, e) in FILES.items()}
    steps = [s.path for s in plan(local, {}).steps]
    assert steps[-2:] == ["feed.xml", "manifest.json"]
    assert all(s.startswith("episodes/") for s in steps[:4])


def test_build_then_publish_sends_only_the_changed_episode(tmp_path, corpus):
    from test_incremental import EPISODES, make_project, run

    config = make_project(tmp_path / "show", corpus)
    dist, site = tmp_path / "dist", tmp_path / "site"
    run(config, dist)
    first = publish(dist, str(site), PublishSettings())
    assert len(first.plan.uploads) == len(manifest.read(dist)) + 1
    episode = tmp_path / "show" / "episodes" / EPISODES[0]
    text = episode.read_text(encoding="utf-8")
    episode.write_text(text.replace("\nseason: ", "\nseason: 7", 1), encoding="utf-8")
    run(config, dist)
    second = publish(dist, str(site), PublishSettings())
    slug = EPISODES[0].removesuffix(".md")
    sent = [s.path for s in second.plan.uploads]
    assert sent[-1] == "manifest.json"
    assert all(p.startswith(f"episodes/{slug}/") or "/" not in p for p in sent), sent
    assert any(p.startswith(f"episodes/{slug}/") for p in sent)
    for path in manifest.read(dist):
        assert (site / path).read_bytes() == (dist / path).read_bytes()


def test_cli_dry_run_lists_and_sends_nothing(tmp_path, capsys):
    dist = write_dist(tmp_path / "dist", FILES)
    site = tmp_path / "site"
    args = ["publish", "--dist", str(dist), "--config", str(ROOT / "config" / "podcast.yaml")]
    assert main([*args, "--to", str(site), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would upload feed.xml (new)" in out and "would upload 7 files" in out
    assert not site.exists()
    assert main(args) == 2  # no --to and no publish.to
    assert "pass --to" in capsys.readouterr().err
    assert main([*args, "--to", "ftp://example.org/x"]) == 2
