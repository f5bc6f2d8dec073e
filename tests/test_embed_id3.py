"""``chapters embed`` on an MP3: the ``CHAP`` frames are stored in time order, as ffprobe (and
every player that ignores the ``CTOC`` table) lists them, whatever the titles' lengths, in
ID3v2.3 and v2.4 tags alike."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen.id3 import ID3, TPE1
from test_chapters import silent_mp3

from feedgen_pod.embed import embed_chapters
from feedgen_pod.model import Chapter

#: twelve chapters whose titles' lengths do not grow with time (short, long, short…): stored
#: by size, as mutagen sorts frames, they come out of order (ffprobe listed 0, 109, 4370, 378 s)
TITLES = [
    "Intro",
    "How the archive began, and why it moved twice in one year",
    "Q&A",
    "Ünïcode, emoji 🎙 and a title in 日本語",
    "Sponsor",
    "A",
    "The long middle part where the guests disagree about almost everything",
    "x" * 12,
    "Part 9",
    "Part 10",
    "Part 11 (the chapter ids pass ten here)",
    "End",
]
#: a title as the chapters are made (``derive.chapters``): its white space folded, never empty
TITLE = st.text(max_size=80).map(lambda t: " ".join(t.split())).filter(bool)
CHAPTERS = tuple(Chapter(i * 10.0, (i + 1) * 10.0, t) for i, t in enumerate(TITLES))


def tagged_mp3(path: Path, seconds: float, version: int | None) -> None:
    """A silent MP3, with an ID3 tag of ``version`` (3 or 4) holding an artist, or none."""
    silent_mp3(path, seconds)
    if version is not None:
        tags = ID3()
        tags.add(TPE1(encoding=3, text=["Someone"]))
        tags.save(path, v2_version=version)


def stored_starts(path: Path) -> list[int]:
    """The ``CHAP`` frames' start times (ms) in the order the file stores them (mutagen keeps
    the order it read the frames in)."""
    return [frame.start_time for frame in ID3(path).getall("CHAP")]


@pytest.mark.parametrize("version", [None, 3, 4], ids=["no-tag", "id3v2.3", "id3v2.4"])
def test_ffprobe_lists_embedded_mp3_chapters_in_time_order(tmp_path: Path, version) -> None:
    if not shutil.which("ffprobe"):
        pytest.skip("ffprobe is not installed (apt install ffmpeg)")
    audio = tmp_path / "a.mp3"
    tagged_mp3(audio, 125, version)
    embed_chapters(audio, CHAPTERS, "Episode")
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", audio],
        capture_output=True,
        timeout=60,
        check=True,
    )
    found = json.loads(probe.stdout)["chapters"]
    assert [(float(c["start_time"]), float(c["end_time"]), c["tags"]["title"]) for c in found] == [
        (c.start, c.end, c.title) for c in CHAPTERS
    ]
    tags = ID3(audio)
    assert tags.version[1] == (version or 3), "the tag keeps its version"
    (toc,) = tags.getall("CTOC")
    assert toc.child_element_ids == [f.element_id for f in tags.getall("CHAP")]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    titles=st.lists(TITLE, min_size=1, max_size=25),
    version=st.sampled_from([3, 4]),
)
def test_chap_frames_are_stored_in_time_order_for_any_titles(
    tmp_path: Path, titles: list[str], version: int
) -> None:
    audio = tmp_path / f"v{version}.mp3"
    tagged_mp3(audio, 1, version)
    chapters = tuple(Chapter(i * 0.5, (i + 1) * 0.5, t) for i, t in enumerate(titles))
    embed_chapters(audio, chapters)
    assert stored_starts(audio) == [round(c.start * 1000) for c in chapters]
