"""``feedgen-pod upload buzzsprout`` and ``transistor`` against loopback doubles of their APIs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from upload_doubles import (
    Buzzsprout,
    Transistor,
    rewrite_in_dist,
)

from feedgen_pod.cli import main
from feedgen_pod.net import Client, NetPolicy
from feedgen_pod.net.limiter import Limiter
from feedgen_pod.upload import hosts
from feedgen_pod.upload.description import BEGIN, END, current_block, with_block
from feedgen_pod.upload.settings import HostSettings
from feedgen_pod.upload.sidecars import read_dist
from feedgen_pod.upload.state import UploadState
from feedgen_pod.upload.transistor import Transistor as TransistorApi


def _config(tmp_path: Path, dist: Path, section: str) -> list[str]:
    shutil.copytree(dist, tmp_path / "dist")
    config = tmp_path / "config" / "podcast.yaml"
    config.parent.mkdir()
    text = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    config.write_text(text + "upload:\n" + section, encoding="utf-8")
    return [
        "--config",
        str(config),
        "--dist",
        str(tmp_path / "dist"),
        "--cache-dir",
        str(tmp_path / "cache"),
    ]


def _buzzsprout_config(tmp_path: Path, dist: Path, double: Buzzsprout) -> list[str]:
    section = f"  buzzsprout:\n    api_url: {double.server.url}api/\n    show_id: 777\n"
    return _config(tmp_path, dist, section)


def _host_episodes(dist: Path) -> tuple[list[dict], str]:
    """The host's view of the show: one matched by guid, one by audio URL, one by title
    (in other case and punctuation), one of the host's own that we do not have."""
    ours = read_dist(dist)
    a, b, c = ours[:3]
    rows = [
        {
            "id": 101,
            "title": "Renamed at the host",
            "guid": a.guid,
            "audio_url": "https://cdn/x.mp3",
        },
        {"id": 102, "title": "Other", "guid": "host-guid", "audio_url": b.audio_url + "?ref=feed"},
        {"id": 103, "title": c.title.upper() + "!", "guid": "", "audio_url": ""},
        {"id": 104, "title": "Only at the host", "guid": "zzz", "audio_url": ""},
    ]
    return rows, a.slug


def test_buzzsprout_matches_sends_once_and_keeps_an_edit(
    corpus_dist: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    rows, first_slug = _host_episodes(corpus_dist)
    double = Buzzsprout("777", rows)
    monkeypatch.setenv("BUZZSPROUT_TOKEN", "bz-token")
    try:
        args = ["upload", "buzzsprout", *_buzzsprout_config(tmp_path, corpus_dist, double)]
        assert main(args) == 0
        out = capsys.readouterr().out
        assert set(double.transcripts) == {"101", "102", "103"}
        assert set(double.chapters) <= {"101", "102", "103"} and double.chapters
        assert out.count(": unmatched") == len(read_dist(corpus_dist)) - 3
        assert "bz-token" not in out
        srt = (tmp_path / "dist" / "episodes" / first_slug / "transcript.srt").read_bytes()
        assert double.transcripts["101"] == srt
        chapters = json.loads(
            (tmp_path / "dist" / "episodes" / first_slug / "chapters.json").read_text()
        )
        assert [c["title"] for c in double.chapters["101"]] == [
            c["title"] for c in chapters["chapters"]
        ]

        double.server.calls.clear()
        assert main(args) == 0  # nothing changed: the list only
        assert double.server.calls == [("GET", "/api/777/episodes.json")]

        double.transcripts["101"] = b"1\n00:00:00,000 --> 00:00:01,000\nFixed on Buzzsprout\n"
        srt_path = tmp_path / "dist" / "episodes" / first_slug / "transcript.srt"
        rewrite_in_dist(tmp_path / "dist", srt_path, srt + b"\n")
        assert main(args) == 0
        assert "edited-remotely" in capsys.readouterr().out
        assert b"Fixed on Buzzsprout" in double.transcripts["101"]
        assert main([*args, "--force"]) == 0
        assert double.transcripts["101"] == srt + b"\n"
    finally:
        double.server.close()


def test_buzzsprout_without_a_token_or_with_a_wrong_one(
    corpus_dist: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    rows, _ = _host_episodes(corpus_dist)
    double = Buzzsprout("777", rows)
    try:
        args = ["upload", "buzzsprout", *_buzzsprout_config(tmp_path, corpus_dist, double)]
        monkeypatch.delenv("BUZZSPROUT_TOKEN", raising=False)
        assert main(args) == 2
        assert "BUZZSPROUT_TOKEN" in capsys.readouterr().err
        monkeypatch.setenv("BUZZSPROUT_TOKEN", "wrong")
        assert main(args) == 1
        captured = capsys.readouterr()
        assert "HTTP 401" in captured.out and "Traceback" not in captured.err
        assert "wrong" not in captured.out + captured.err
    finally:
        double.server.close()


def test_transistor_keeps_within_its_rate_limit(corpus_dist: Path, tmp_path: Path) -> None:
    ours = [e for e in read_dist(corpus_dist) if "transcript_srt" in e.files]
    rows = [
        {"id": 500 + i, "title": e.title, "media_url": "https://cdn.transistor/x.mp3"}
        for i, e in enumerate(ours)
    ]
    double = Transistor("s1", rows, limit=8, window=0.2)
    state = UploadState(tmp_path / "state.json")
    settings = HostSettings(double.server.url + "v1/", "s1")
    with Client(NetPolicy(timeout=10, allow_private=True)) as client:
        api = TransistorApi(client, settings, "tr-key", Limiter(8, 0.2))
        try:
            actions = hosts.upload(ours, api, state)
            assert {a.verb for a in actions} == {"create"}
            assert double.over_limit == 0
            for i, e in enumerate(ours):
                srt = (corpus_dist / "episodes" / e.slug / "transcript.srt").read_text()
                assert double.episodes[str(500 + i)]["transcript_text"] == srt
            again = hosts.upload(ours, api, state)
            assert {a.verb for a in again} == {"unchanged"}
        finally:
            double.server.close()


def test_transistor_command(corpus_dist: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    (episode,) = read_dist(corpus_dist)[:1]
    double = Transistor("s1", [{"id": 9, "title": episode.title}])
    monkeypatch.setenv("TRANSISTOR_API_KEY", "tr-key")
    try:
        args = [
            "upload",
            "transistor",
            "--only",
            episode.slug,
            *_config(
                tmp_path,
                corpus_dist,
                f"  transistor:\n    api_url: {double.server.url}v1/\n    show_id: s1\n",
            ),
        ]
        assert main([*args, "--dry-run", "--format", "markdown"]) == 0
        assert (
            "| create |" in capsys.readouterr().out
            and "transcript_text" not in double.episodes["9"]
        )
        assert main(args) == 0
        assert double.episodes["9"]["transcript_text"].startswith("1\n")
    finally:
        double.server.close()


@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200),
)
def test_the_owner_s_text_around_the_block_is_kept_byte_for_byte(head: str, tail: str) -> None:
    first = with_block(head, f"{BEGIN}\n00:00 A\n{END}")
    body = first + tail if not tail or tail[0] in "\r\n" else first + "\n" + tail
    second = with_block(body, f"{BEGIN}\n00:00 B\n{END}")
    assert current_block(second) == f"{BEGIN}\n00:00 B\n{END}" or BEGIN in head + tail
    if BEGIN not in head + tail and END not in head + tail:
        assert second == body.replace("00:00 A", "00:00 B")
