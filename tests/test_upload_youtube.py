"""``feedgen-pod upload youtube`` against a loopback double of the YouTube Data API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from google.oauth2.credentials import Credentials
from upload_doubles import (
    YouTube,
    rewrite_in_dist,
)

from feedgen_pod.cli import main
from feedgen_pod.net import Client, NetError, NetPolicy
from feedgen_pod.upload.description import BEGIN, END
from feedgen_pod.upload.google_transport import ApiHttp
from feedgen_pod.upload.sidecars import read_dist
from feedgen_pod.upload.youtube_api import save_credentials


def _project(
    tmp_path: Path,
    dist: Path,
    api_url: str,
    *,
    daily_units: int = 10_000,
    expiry: str = "2099-01-01T00:00:00Z",
) -> tuple[Path, list[str]]:
    """A config whose upload.youtube points at the double, a token, and a copy of dist/."""
    shutil.copytree(dist, tmp_path / "dist")
    token = tmp_path / "token.json"
    token.write_text(
        json.dumps(
            {
                "token": "good-token" if "2099" in expiry else "stale-token",
                "refresh_token": "refresh",
                "client_id": "id",
                "client_secret": "secret",
                "token_uri": f"{api_url}token",
                "expiry": expiry,
            }
        )
    )
    token.chmod(0o600)
    config = tmp_path / "config" / "podcast.yaml"
    config.parent.mkdir()
    text = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    config.write_text(
        text
        + (
            f"upload:\n  youtube:\n    api_url: {api_url}\n    token: {token}\n"
            f"    token_url: {api_url}token\n"
            f"    daily_units: {daily_units}\n"
        ),
        encoding="utf-8",
    )
    args = [
        "upload",
        "youtube",
        "--config",
        str(config),
        "--dist",
        str(tmp_path / "dist"),
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    return tmp_path / "cache" / "upload-state.json", args


def _new_day(state_file: Path, double: YouTube) -> None:
    """Midnight in California: YouTube's units and ours start again."""
    state = json.loads(state_file.read_text())
    state["units"] = {}
    state_file.write_text(json.dumps(state))
    double.units = 0


def test_corpus_upload_resumes_within_the_day_s_units_and_then_only_reads(
    corpus_dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    episodes = [e for e in read_dist(corpus_dist) if e.youtube_id]
    assert len(episodes) >= 15
    # a day of 5,000 units (half of YouTube's default) holds about half the corpus's first upload
    double = YouTube([e.youtube_id for e in episodes], daily_units=5_000)
    try:
        state_file, args = _project(tmp_path, corpus_dist, double.server.url, daily_units=5_000)
        assert main(args) == 0
        first = capsys.readouterr()
        assert double.units <= 5_000
        done = {double.tracks[c]["snippet"]["videoId"] for c in double.tracks}
        assert 0 < len(done) < len(episodes), "the first day cannot fit every episode"
        assert "deferred" in first.out and "resumes here next run" in first.out
        for vid in done:
            assert BEGIN in double.snippets[vid]["description"]

        for _day in range(3):  # each next day resumes where the last stopped
            _new_day(state_file, double)
            before = len(double.tracks)
            assert main(args) == 0
            assert double.units <= 5_000 and len(double.tracks) > before
            if "deferred" not in capsys.readouterr().out:
                break
        with_transcript = [e for e in episodes if "transcript_srt" in e.files]
        assert {t["snippet"]["videoId"] for t in double.tracks.values()} == {
            e.youtube_id for e in with_transcript
        }
        assert len(double.tracks) == len(with_transcript), "one track a video, none made twice"
        for e in episodes:
            has_block = BEGIN in double.snippets[e.youtube_id]["description"]
            assert has_block == ("chapters_youtube" in e.files)
        for e in with_transcript:
            srt = (tmp_path / "dist" / "episodes" / e.slug / "transcript.srt").read_bytes()
            (cid,) = [
                c for c, t in double.tracks.items() if t["snippet"]["videoId"] == e.youtube_id
            ]
            assert double.track_bodies[cid] == srt
            assert double.tracks[cid]["snippet"]["name"] == "Edited transcript"

        _new_day(state_file, double)
        double.server.calls.clear()
        assert main(args) == 0
        assert {c for c in double.server.calls} == {("GET", "/youtube/v3/videos")}
        assert len(double.server.calls) == -(-len(episodes) // 50)
        assert "unchanged" in capsys.readouterr().out
    finally:
        double.server.close()


def test_text_outside_the_markers_and_the_snippet_s_other_fields_are_kept(
    corpus_dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (episode,) = [e for e in read_dist(corpus_dist) if e.youtube_id][:1]
    double = YouTube([episode.youtube_id])
    vid = episode.youtube_id
    owner_text = "Intro by the owner.\r\n\nLinks:  https://example.org/x \n"
    double.snippets[vid]["description"] = owner_text
    before = dict(double.snippets[vid])
    try:
        _, args = _project(tmp_path, corpus_dist, double.server.url)
        assert main([*args, "--only", episode.slug]) == 0
        after = double.snippets[vid]
        assert {k: v for k, v in after.items() if k != "description"} == {
            k: v for k, v in before.items() if k != "description"
        }
        assert after["description"].startswith(owner_text.rstrip("\n"))
        chapters = (tmp_path / "dist" / "episodes" / episode.slug / "chapters.txt").read_text()
        assert after["description"].endswith(f"{BEGIN}\n{chapters.strip()}\n{END}")

        # the owner edits text around the block: a rerun sends nothing and keeps the edit
        edited = "New intro.\n\n" + after["description"] + "\n\nP.S. thanks"
        double.snippets[vid]["description"] = edited
        double.server.calls.clear()
        assert main([*args, "--only", episode.slug]) == 0
        assert double.snippets[vid]["description"] == edited
        assert ("PUT", "/youtube/v3/videos") not in double.server.calls
    finally:
        double.server.close()
    capsys.readouterr()


def test_an_edit_on_youtube_is_not_overwritten_without_force(
    corpus_dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (episode,) = [e for e in read_dist(corpus_dist) if e.youtube_id][:1]
    vid = episode.youtube_id
    double = YouTube([vid])
    try:
        _, args = _project(tmp_path, corpus_dist, double.server.url)
        args += ["--only", episode.slug]
        assert main(args) == 0
        capsys.readouterr()
        # someone fixes a chapter title in YouTube Studio, and a caption line
        desc = double.snippets[vid]["description"]
        double.snippets[vid]["description"] = desc.replace(END, "99:00 Added by hand\n" + END)
        (cid,) = double.tracks
        double.edit_track(cid, b"1\n00:00:00,000 --> 00:00:02,000\nFixed by hand\n")
        # and our transcript changes with a new build
        srt = tmp_path / "dist" / "episodes" / episode.slug / "transcript.srt"
        rewrite_in_dist(tmp_path / "dist", srt, srt.read_bytes() + b"\n")

        assert main(args) == 0
        out = capsys.readouterr().out
        assert out.count(": edited-remotely") == 2 and "done: 2 edited-remotely" in out
        assert "99:00 Added by hand" in double.snippets[vid]["description"]
        assert double.track_bodies[cid] == b"1\n00:00:00,000 --> 00:00:02,000\nFixed by hand\n"

        assert main([*args, "--force"]) == 0
        assert "99:00 Added by hand" not in double.snippets[vid]["description"]
        assert double.track_bodies[cid] == srt.read_bytes()
    finally:
        double.server.close()
    capsys.readouterr()


def test_quota_exceeded_stops_cleanly_and_dry_run_sends_nothing(
    corpus_dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    episodes = [e for e in read_dist(corpus_dist) if e.youtube_id][:4]
    double = YouTube([e.youtube_id for e in episodes], daily_units=1200)
    try:
        _, args = _project(tmp_path, corpus_dist, double.server.url)
        only = [a for e in episodes for a in ("--only", e.slug)]
        assert main([*args, *only, "--dry-run", "--format", "json"]) == 0
        plan = json.loads(capsys.readouterr().out)
        assert plan["dry_run"] and {a["verb"] for a in plan["actions"]} == {"create"}
        assert double.tracks == {} and all(
            BEGIN not in s["description"] for s in double.snippets.values()
        )
        assert main([*args, *only]) == 0  # YouTube says quotaExceeded after the second episode
        out = capsys.readouterr().out
        assert "quota is used up" in out and double.units <= 1200
        assert main([*args, *only]) == 0  # the same day: nothing is tried
        assert "0 of 10000 units left today" in capsys.readouterr().err
    finally:
        double.server.close()


def test_an_expired_token_is_refreshed_through_the_api_origin_only(
    corpus_dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (episode,) = [e for e in read_dist(corpus_dist) if e.youtube_id][:1]
    double = YouTube([episode.youtube_id])
    try:
        _, args = _project(tmp_path, corpus_dist, double.server.url, expiry="2001-01-01T00:00:00Z")
        assert main([*args, "--only", episode.slug]) == 0
        assert double.refreshed == 1
        assert "good-token" not in capsys.readouterr().out
    finally:
        double.server.close()


def test_a_missing_token_says_how_to_sign_in(corpus_dist: Path, tmp_path: Path, capsys) -> None:
    _, args = _project(tmp_path, corpus_dist, "http://127.0.0.1:9/")
    (tmp_path / "token.json").unlink()
    assert main(args) == 2
    assert "--login" in capsys.readouterr().err


def test_the_token_is_stored_for_the_user_only_and_sent_to_the_api_origin_only(
    tmp_path: Path,
) -> None:
    credentials = Credentials(
        token="secret-token",
        refresh_token="r",
        client_id="i",
        client_secret="s",
        token_uri="http://127.0.0.1:9/token",
    )
    path = tmp_path / "deep" / "token.json"
    save_credentials(credentials, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert json.loads(path.read_text())["token"] == "secret-token"

    double = YouTube([])
    other = YouTube([])
    try:
        with Client(NetPolicy(timeout=5, allow_private=True)) as client:
            http = ApiHttp(client, credentials, double.server.url)
            with pytest.raises(NetError, match="not the YouTube API's origin"):
                http.request(other.server.url + "youtube/v3/videos?part=snippet&id=x")
        assert other.server.calls == []
    finally:
        double.server.close()
        other.server.close()


def test_dry_run_text_shows_the_description_before_and_after(
    corpus_dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (episode,) = [e for e in read_dist(corpus_dist) if "chapters_youtube" in e.files][:1]
    double = YouTube([episode.youtube_id])
    try:
        _, args = _project(tmp_path, corpus_dist, double.server.url)
        assert main([*args, "--only", episode.slug, "--dry-run"]) == 0
        out = capsys.readouterr().out
        assert "would create (50 units)" in out and f"+{BEGIN}" in out
        assert "    +00:00 " in out and out.rstrip().endswith("plan: 2 create")
        assert ("PUT", "/youtube/v3/videos") not in double.server.calls
    finally:
        double.server.close()


def test_a_call_that_never_reached_youtube_costs_no_units(
    corpus_dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state_file, args = _project(tmp_path, corpus_dist, "http://127.0.0.1:9/")  # nothing listens
    assert main([*args, "--dry-run", "--timeout", "1"]) == 1  # the reads failed
    assert "failed" in capsys.readouterr().out
    units = json.loads(state_file.read_text())["units"] if state_file.exists() else {}
    assert sum(units.values()) == 0
