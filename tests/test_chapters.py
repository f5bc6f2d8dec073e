"""Chapters: derived from headers, clips or a timestamp list, and every form consumers read."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import webvtt
from conftest import CORPUS, ROOT, corpus_show

from feedgen_pod.config import load_config
from feedgen_pod.derive.chapters import agreement, compare, derive_chapters
from feedgen_pod.derive.episode import enrich
from feedgen_pod.errors import Problem
from feedgen_pod.formats import chapters_ffmeta, chapters_json, chapters_vtt, chapters_youtube
from feedgen_pod.load.show import discover, load_episodes
from feedgen_pod.model import (
    Audio,
    AudioSource,
    Chapter,
    ChapterSettings,
    Clip,
    Enclosure,
    Episode,
    SectionHeader,
    Show,
    TimestampEntry,
    TimestampList,
    TranscriptLine,
)

# --- the Podcasting 2.0 JSON chapters spec, as a schema --------------------------------------
CHAPTERS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "chapters"],
    "properties": {
        "version": {"const": "1.2.0"},
        "author": {"type": "string"},
        "title": {"type": "string"},
        "podcastName": {"type": "string"},
        "description": {"type": "string"},
        "fileName": {"type": "string"},
        "waypoints": {"type": "boolean"},
        "chapters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["startTime"],
                "additionalProperties": False,
                "properties": {
                    "startTime": {"type": "number", "minimum": 0},
                    "endTime": {"type": "number", "minimum": 0},
                    "title": {"type": "string", "minLength": 1},
                    "img": {"type": "string", "format": "uri"},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "toc": {"type": "boolean"},
                    "location": {"type": "object"},
                },
            },
        },
    },
}


def show_for(tmp: Path | None = None, **dirs) -> Show:
    show, _ = load_config(ROOT / "config" / "podcast.yaml")
    return replace(show, **dirs)


def episode(transcript=(), clips=(), timestamps=None, duration=600.0, **changes) -> Episode:
    audio = Audio(
        Enclosure("https://m.example/a.mp3", 1, "audio/mpeg", duration), AudioSource.FRONT_MATTER
    )
    return Episode(
        slug="ep",
        source=Path("ep.md"),
        title="Ep",
        transcript=tuple(transcript),
        clips=tuple(clips),
        timestamps=timestamps,
        audio=audio,
        youtube_id="abc123",
        **changes,
    )


def line(start: float, timed: bool = True, n: int = 0) -> TranscriptLine:
    return TranscriptLine("words " * 5, "A", start, timed, n)


SHOW = show_for()


def derive(ep: Episode) -> tuple[tuple[Chapter, ...], list[Problem]]:
    problems: list[Problem] = []
    return derive_chapters(SHOW, ep, problems), problems


# --- deriving ---------------------------------------------------------------------------------


def test_two_leading_headers_intro_at_zero_topic_at_first_line() -> None:
    chapters, problems = derive(
        episode([SectionHeader("Intro", 1), SectionHeader("Topic", 2), line(49, n=3), line(200)])
    )
    assert [(c.start, c.end, c.title) for c in chapters] == [
        (0.0, 49.0, "Intro"),
        (49.0, 600.0, "Topic"),
    ]
    assert chapters[1].url == "https://www.youtube.com/watch?v=abc123&t=49s"
    assert not problems


def test_header_before_untimed_line_uses_next_timed_line() -> None:
    transcript = [SectionHeader("A", 1), line(0), line(100), SectionHeader("B", 5)]
    transcript += [line(120, timed=False), line(150), line(300)]
    chapters, _ = derive(episode(transcript))
    assert [(c.start, c.title) for c in chapters] == [(0.0, "A"), (150.0, "B")]


def test_header_with_no_line_after_is_dropped_and_reported() -> None:
    chapters, problems = derive(
        episode([SectionHeader("A", 1), line(0), line(100), SectionHeader("Dangling", 9)])
    )
    assert [c.title for c in chapters] == ["A"]
    assert any(p.line == 9 and "Dangling" in p.message for p in problems)


def test_two_headers_in_a_row_keep_both_titles_and_warn() -> None:
    transcript = [SectionHeader("A", 1), line(0), line(60), SectionHeader("B", 7)]
    transcript += [SectionHeader("C", 8), line(120), line(300)]
    chapters, problems = derive(episode(transcript))
    assert [c.title for c in chapters] == ["A", "B / C"]
    joined = [p for p in problems if p.line == 8]
    assert joined and "joined" in joined[0].message and joined[0].path == "ep.md"


def test_repeated_header_is_kept_once_with_a_warning() -> None:
    transcript = [SectionHeader("A", 1), line(0), SectionHeader("B", 4), line(90, timed=False)]
    transcript += [SectionHeader("B", 6), line(100), line(300)]
    chapters, problems = derive(episode(transcript))
    assert [(c.start, c.title) for c in chapters] == [(0.0, "A"), (100.0, "B")]
    assert any(p.line == 6 and "kept once" in p.message for p in problems)


def test_clips_then_timestamp_list_tail_and_short_chapters_merged() -> None:
    clips = [Clip("Intro", 0, 5), Clip("Main", 5, 200), Clip("More", 200, 400)]
    listed = TimestampList(
        Path("s01e01.txt"), (TimestampEntry(0, "Intro", 1), TimestampEntry(400, "Outro", 4))
    )
    chapters, problems = derive(episode(clips=clips, timestamps=listed))
    assert [(c.start, c.end, c.title) for c in chapters] == [
        (0.0, 200.0, "Main"),
        (200.0, 400.0, "More"),
        (400.0, 600.0, "Outro"),
    ]
    assert any("'Intro'" in p.message and "merged" in p.message for p in problems)


def test_timestamp_list_not_starting_at_zero_starts_at_zero() -> None:
    listed = TimestampList(
        Path("s01e01.txt"), (TimestampEntry(30, "Late", 1), TimestampEntry(300, "Next", 2))
    )
    chapters, _ = derive(episode(timestamps=listed))
    assert [(c.start, c.title) for c in chapters] == [(0.0, "Late"), (300.0, "Next")]


def test_compare_lists_title_and_time_disagreements() -> None:
    transcript = [SectionHeader("Intro", 1), line(0), SectionHeader("Topic", 3), line(100)]
    clips = [Clip("Intro", 0, 100), Clip("Topic", 140, 300), Clip("Extra", 300, 400)]
    found = [d.message for d in compare(episode(transcript, clips))]
    assert any("'Topic' starts at 0:01:40 in headers, at 0:02:20 in clips" in m for m in found)
    assert any("clips has 'Extra'" in m for m in found)


# --- the corpus -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_episodes() -> tuple[Show, list[Episode], list[Problem]]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (CI always has it)")
    show = corpus_show(chapters=ChapterSettings(10.0, CORPUS / "chapters"))
    problems: list[Problem] = []
    sources = discover(show)
    out = []
    for ep in load_episodes(sources, problems):
        if ep.duration:  # give it the audio a host feed would: build needs an enclosure
            enc = Enclosure(f"https://m.example/{ep.slug}.mp3", 1000, "audio/mpeg", ep.duration)
            ep = replace(ep, audio=Audio(enc, AudioSource.HOST_FEED))
        out.append(enrich(sources.show, ep, problems))
    return sources.show, out, problems


def with_chapters(corpus_episodes) -> list[Episode]:
    return [e for e in corpus_episodes[1] if e.chapters]


def test_every_corpus_episode_with_chapter_data_gets_sound_chapters(corpus_episodes) -> None:
    _, episodes, _ = corpus_episodes
    for ep in episodes:
        has_data = bool(ep.clips or ep.timestamps) or any(
            isinstance(e, SectionHeader) for e in ep.transcript
        )
        assert bool(ep.chapters) == has_data, ep.slug
        if not ep.chapters:
            continue
        starts = [c.start for c in ep.chapters]
        assert starts == sorted(set(starts)), ep.slug
        assert starts[0] == 0
        assert all(c.end > c.start for c in ep.chapters), ep.slug
        assert all(a.end == b.start for a, b in zip(ep.chapters, ep.chapters[1:]))
        if ep.duration:
            assert ep.chapters[-1].end <= ep.duration + 1e-9, ep.slug
        assert all(c.title.strip() for c in ep.chapters)
        assert all(c.end - c.start >= 10 for c in ep.chapters), ep.slug


def test_corpus_agreement_with_timestamp_lists(corpus_episodes) -> None:
    _, episodes, problems = corpus_episodes
    rows = []
    total_matched = total = 0
    for ep in episodes:
        if not ep.timestamps:
            continue
        matched, count = agreement(ep.chapters, ep)
        total_matched, total = total_matched + matched, total + count
        rows.append(f"{ep.slug[:45]:45} {matched:3}/{count:<3} {len(compare(ep))} disagreements")
    print("\nchapters vs timestamp lists (within 3 s):\n" + "\n".join(rows))
    print(f"overall {total_matched}/{total}")
    assert len(rows) >= 14, "the corpus has 15 lists, one for an episode file it lacks"
    assert total_matched / total > 0.95
    # every list entry a chapter does not match is explained: sources disagree, or a chapter
    # was merged (too short) or dropped (after the end), with the file and line
    for ep in episodes:
        matched, count = agreement(ep.chapters, ep)
        if matched < count:
            explained = [
                p
                for p in problems
                if p.path.endswith(ep.source.name)
                and ("merged" in p.message or "dropped" in p.message)
            ]
            assert compare(ep) or explained, ep.slug


def test_two_headers_in_a_row_in_the_corpus_are_reported(corpus_episodes) -> None:
    _, episodes, problems = corpus_episodes
    brand = next(e for e in episodes if e.slug.startswith("developer-personal-brand"))
    repeats = [p for p in problems if "kept once" in p.message and "developer-personal" in p.path]
    assert len(repeats) >= 5 and all(p.line for p in repeats)
    abc = next(e for e in episodes if e.slug == "data-science-career-abc-framework")
    assert [(c.start, c.title) for c in abc.chapters[:2]] == [
        (0.0, "Podcast Introduction"),
        (49.0, "LinkedIn Memes & Creative Editing for Data Audiences"),
    ]
    assert brand.chapters[1].start == 144.0  # the header's untimed line: next timed line used


# --- the formats ------------------------------------------------------------------------------


def outputs(module, show: Show, ep: Episode, problems: list[Problem] | None = None):
    """The format's files; its problems added to ``problems``."""
    made = module.episode_outputs(show, ep)
    if problems is not None:
        problems.extend(made.problems)
    return list(made.outputs)


def test_json_chapters_validate_against_the_spec_schema(corpus_episodes) -> None:
    show, _, _ = corpus_episodes
    for ep in with_chapters(corpus_episodes):
        (out,) = outputs(chapters_json, show, ep)
        assert out.path == f"episodes/{ep.slug}/chapters.json"
        doc = json.loads(out.data)
        jsonschema.validate(doc, CHAPTERS_SCHEMA)
        assert [c["startTime"] for c in doc["chapters"]] == [c.start for c in ep.chapters]
        assert doc["chapters"][-1]["endTime"] == ep.chapters[-1].end
        assert doc["chapters"][0]["url"].startswith("https://www.youtube.com/watch?v=")


def test_youtube_list_meets_youtubes_rules(corpus_episodes) -> None:
    show, _, _ = corpus_episodes
    for ep in with_chapters(corpus_episodes):
        problems: list[Problem] = []
        (out,) = outputs(chapters_youtube, show, ep, problems)
        lines = out.data.decode().splitlines()
        assert lines[0].startswith("00:00 ")
        assert len(lines) >= 3
        starts = []
        for text in lines:
            match = re.match(r"^(?:(\d+):)?(\d{2}):(\d{2}) (\S.*)$", text)
            assert match, text
            h, m, s, title = match.groups()
            starts.append(int(h or 0) * 3600 + int(m) * 60 + int(s))
            assert len(title) <= 70 and "<" not in title and ">" not in title
        ends = [*starts[1:], int(ep.chapters[-1].end)]
        assert all(b - a >= 10 for a, b in zip(starts, ends)), ep.slug
        assert starts == [int(c.start) for c in ep.chapters]


def test_youtube_list_too_few_chapters_is_not_written_and_says_why() -> None:
    ep = replace(episode(), chapters=(Chapter(0, 100, "A"), Chapter(100, 600, "B")))
    problems: list[Problem] = []
    assert outputs(chapters_youtube, SHOW, ep, problems) == []
    assert "at least 3 chapters" in problems[0].message


def test_youtube_merges_short_chapters_and_shortens_long_titles() -> None:
    long = "A very long chapter title that goes on and on about many things " * 2
    chapters = (Chapter(0, 4, "Tiny"), Chapter(4, 100, long), Chapter(100, 200, "B"))
    ep = replace(episode(duration=300), chapters=(*chapters, Chapter(200, 300, "C")))
    problems: list[Problem] = []
    (out,) = outputs(chapters_youtube, SHOW, ep, problems)
    lines = out.data.decode().splitlines()
    assert lines[0].startswith("00:00 A very long") and lines[0].endswith("…")
    assert len(lines[0]) <= 6 + 70 and lines[1:] == ["01:40 B", "03:20 C"]
    assert any("shortened" in p.message for p in problems)


def test_vtt_chapters_parse_and_escape(corpus_episodes) -> None:
    show, _, _ = corpus_episodes
    for ep in with_chapters(corpus_episodes):
        (out,) = outputs(chapters_vtt, show, ep)
        captions = webvtt.from_buffer(io.StringIO(out.data.decode()))
        assert len(captions) == len(ep.chapters)
        for cue, chapter in zip(captions, ep.chapters):
            assert _ms(cue.start) == round(chapter.start * 1000)
            assert _ms(cue.end) == round(chapter.end * 1000)
            assert "<" not in cue.raw_text and "-->" not in cue.raw_text
    ep = replace(episode(), chapters=(Chapter(0, 60, "Q&A <live> -->"),))
    text = outputs(chapters_vtt, SHOW, ep)[0].data.decode()
    assert "Q&amp;A &lt;live&gt; --&gt;" in text


def _ms(clock: str) -> int:
    h, m, s = clock.split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


def parse_ffmeta(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A small FFMETADATA1 reader: backslash escapes, sections, key=value."""
    assert text.startswith(";FFMETADATA1\n")
    # join escaped newlines, then split on unescaped ones
    lines, current, escaped = [], "", False
    for ch in text:
        if escaped:
            current += ch
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "\n":
            lines.append(current)
            current = ""
        else:
            current += ch if ch != "=" else "\x00"
    head: dict[str, str] = {}
    chapters: list[dict[str, str]] = []
    target = head
    for raw in lines[1:]:
        if not raw or raw.startswith((";", "#")):
            continue
        if raw == "[CHAPTER]":
            chapters.append({})
            target = chapters[-1]
            continue
        key, _, value = raw.partition("\x00")
        target[key] = value
    return head, chapters


def test_ffmeta_parses_with_escapes_and_millisecond_times(corpus_episodes) -> None:
    show, _, _ = corpus_episodes
    for ep in with_chapters(corpus_episodes):
        (out,) = outputs(chapters_ffmeta, show, ep)
        head, chapters = parse_ffmeta(out.data.decode())
        assert head["title"] == ep.title
        assert [c["title"] for c in chapters] == [c.title for c in ep.chapters]
        assert all(c["TIMEBASE"] == "1/1000" for c in chapters)
        assert [int(c["START"]) for c in chapters] == [round(c.start * 1000) for c in ep.chapters]
        assert [int(c["END"]) for c in chapters] == [round(c.end * 1000) for c in ep.chapters]
    tricky = "a=b; #c \\ d\ne"
    ep = replace(episode(), chapters=(Chapter(0, 60.5, tricky),))
    _, chapters = parse_ffmeta(outputs(chapters_ffmeta, SHOW, ep)[0].data.decode())
    assert chapters == [{"TIMEBASE": "1/1000", "START": "0", "END": "60500", "title": tricky}]


# --- audio ----------------------------------------------------------------------------------

#: MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono, no CRC; a frame of zeros after it is silence
_FRAME_HEADER = bytes([0xFF, 0xFB, 0x90, 0xC4])
_FRAME_SIZE = 144 * 128000 // 44100  # 417 bytes, no padding


def silent_mp3(path: Path, seconds: float) -> None:
    frames = int(seconds * 44100 / 1152) + 1
    path.write_bytes((_FRAME_HEADER + bytes(_FRAME_SIZE - 4)) * frames)


def test_ffmpeg_embeds_the_ffmeta_chapters(tmp_path: Path) -> None:
    if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
        pytest.skip("ffmpeg is not installed")
    audio = tmp_path / "a.mp3"
    silent_mp3(audio, 70)
    chapters = (
        Chapter(0, 20.25, "One = 1; #a"),
        Chapter(20.25, 45, "Two\\b"),
        Chapter(45, 70, "3"),
    )
    ep = replace(episode(duration=70), chapters=chapters)
    meta = tmp_path / "chapters.ffmeta"
    meta.write_bytes(outputs(chapters_ffmeta, SHOW, ep)[0].data)
    out = tmp_path / "out.mp3"
    run = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            audio,
            "-i",
            meta,
            "-map_metadata",
            "1",
            "-codec",
            "copy",
            out,
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", out],
        capture_output=True,
        timeout=60,
        check=True,
    )
    found = json.loads(probe.stdout)["chapters"]
    assert [(float(c["start_time"]), float(c["end_time"]), c["tags"]["title"]) for c in found] == [
        (c.start, c.end, c.title) for c in chapters
    ]


def test_embed_writes_id3_chapters_mutagen_reads_back(tmp_path: Path) -> None:
    from mutagen.id3 import ID3, TIT2, TPE1
    from mutagen.mp3 import MP3

    from feedgen_pod.embed import embed_chapters

    audio = tmp_path / "a.mp3"
    silent_mp3(audio, 3)
    tags = ID3()
    tags.add(TPE1(encoding=3, text=["Someone"]))
    tags.save(audio)
    chapters = (
        Chapter(0, 1.5, "Intro & <hi>"),
        Chapter(1.5, 2.75, "Ünïcode"),
        Chapter(2.75, 3, "End"),
    )
    embed_chapters(audio, chapters, "Episode")
    embed_chapters(audio, chapters, "Episode")  # again: replaces, never duplicates
    read = ID3(audio)
    assert str(read["TPE1"]) == "Someone", "other tags are kept"
    chaps = sorted(read.getall("CHAP"), key=lambda f: f.start_time)
    assert [(c.start_time, c.end_time, str(c.sub_frames["TIT2"])) for c in chaps] == [
        (0, 1500, "Intro & <hi>"),
        (1500, 2750, "Ünïcode"),
        (2750, 3000, "End"),
    ]
    (toc,) = read.getall("CTOC")
    assert toc.child_element_ids == [c.element_id for c in chaps]
    assert isinstance(toc.sub_frames["TIT2"], TIT2)
    assert MP3(audio).info.length == pytest.approx(3, abs=0.1), "still a playable MP3"


EPISODE_FILE = """---
title: Tiny
season: 1
episode: 1
links:
  youtube: https://www.youtube.com/watch?v=abcdefghijk
transcript:
- header: Hello
- line: Hi there.
  sec: 0
  who: A
- header: Middle & more
- line: Something.
  sec: 20
  who: A
- header: End
- line: Bye.
  sec: 40
  who: A
---
"""


def test_chapters_embed_command_end_to_end(tmp_path: Path, capsys) -> None:
    from mutagen.id3 import ID3

    from feedgen_pod.cli import main

    episodes = tmp_path / "episodes"
    episodes.mkdir()
    (episodes / "tiny.md").write_text(EPISODE_FILE, encoding="utf-8")
    audio = tmp_path / "tiny.mp3"
    silent_mp3(audio, 60)
    argv = ["chapters", "embed", "tiny", str(audio), "--config", str(ROOT / "config/podcast.yaml")]
    assert main([*argv, "--episodes", str(episodes), "--people", str(tmp_path)]) == 0
    assert "wrote 3 chapters" in capsys.readouterr().out
    chaps = sorted(ID3(audio).getall("CHAP"), key=lambda f: f.start_time)
    assert [(c.start_time, str(c.sub_frames["TIT2"])) for c in chaps] == [
        (0, "Hello"),
        (20000, "Middle & more"),
        (40000, "End"),
    ]
    length = chaps[-1].end_time
    assert 59000 < length < 61000, "the last chapter ends at the audio file's length"
    assert main(["chapters", "embed", "nope", str(audio), "--episodes", str(episodes)]) == 1


def test_validate_lists_disagreements_and_exits_by_errors(corpus, capsys) -> None:
    from feedgen_pod.cli import main

    code = main(
        [
            "validate",
            "--config",
            str(ROOT / "config/podcast.yaml"),
            "--episodes",
            str(corpus / "episodes"),
            "--people",
            str(corpus / "people"),
            "--chapters-dir",
            str(corpus / "chapters"),
        ]
    )
    out, err = capsys.readouterr()
    assert (
        "cloud-data-governance.md: 26 chapters from transcript headers; timestamp list "
        "agrees on 26/26" in out
    )
    assert re.search(r"practical-llm-engineering-and-rag\.md:\d+: disagree: at 0:01:12", out)
    # the default config's sample host feed has none of the corpus episodes: each is an error
    # (left out of the feed); nothing else in the corpus is
    assert code == 1
    errors = [ln for ln in err.splitlines() if ": error: " in ln]
    assert errors and all(": error: audio: no audio: no item of the host feed" in e for e in errors)


# --- the feed -------------------------------------------------------------------------------


def test_podcastparser_reads_psc_chapters_from_the_feed(corpus_episodes) -> None:
    import podcastparser

    from feedgen_pod.formats import rss

    show, episodes, _ = corpus_episodes
    outs = rss.show_outputs(show, [e for e in episodes if e.audio]).outputs
    feed = next(o for o in outs if o.path == "feed.xml").data
    if b"simple-chapters" not in feed:
        pytest.skip("the feed does not write psc:chapters yet")
    parsed = podcastparser.parse("https://example.org/feed.xml", io.BytesIO(feed))
    by_title = {e["title"]: e for e in parsed["episodes"]}
    checked = 0
    for ep in episodes:
        if not (ep.audio and ep.chapters):
            continue
        item = by_title[ep.title]
        assert [c["title"] for c in item["chapters"]] == [c.title for c in ep.chapters]
        assert [c["start"] for c in item["chapters"]] == [int(c.start) for c in ep.chapters]
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("faststart", [False, True], ids=["moov-last", "moov-first"])
def test_embed_writes_m4a_chapters_keeping_tags_and_audio(tmp_path: Path, faststart) -> None:
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is not installed (it makes the test M4A)")
    from mutagen.mp4 import MP4

    from feedgen_pod.embed import embed_chapters

    audio = tmp_path / "a.m4a"
    flags = ["-movflags", "+faststart"] if faststart else []
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=44100:cl=mono",
            "-t",
            "5",
            "-c:a",
            "aac",
            "-metadata",
            "title=Kept",
            *flags,
            audio,
        ],
        check=True,
        timeout=60,
        capture_output=True,
    )
    chapters = (Chapter(0, 1.5, "Intro & ü"), Chapter(1.5, 3.25, "Two"), Chapter(3.25, 5, "3"))
    embed_chapters(audio, chapters)
    embed_chapters(audio, chapters)  # replaced, not added twice
    read = MP4(audio)
    assert read.tags["©nam"] == ["Kept"]
    assert [(c.start, c.title) for c in read.chapters] == [(c.start, c.title) for c in chapters]
    decode = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", audio, "-f", "null", "-"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert decode.returncode == 0 and not decode.stderr, "chunk offsets still point at the audio"


def test_validate_exits_1_on_an_error_and_names_the_file(tmp_path: Path, capsys) -> None:
    from feedgen_pod.cli import main

    episodes = tmp_path / "episodes"
    episodes.mkdir()
    (episodes / "tiny.md").write_text(EPISODE_FILE, encoding="utf-8")
    (episodes / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    config = str(ROOT / "config/podcast.yaml")
    code = main(["validate", "--config", config, "--episodes", str(episodes)])
    captured = capsys.readouterr()
    assert code == 1
    # no audio: the episode ends a second after its last line, so 'End' merges into 'Middle'
    assert "tiny.md: 2 chapters from transcript headers" in captured.out
    assert "'End' is 1.0s long, under 10s; merged into 'Middle & more'" in captured.err
    assert "broken.md" in captured.err
