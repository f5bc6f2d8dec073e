"""Every real transcript and raw caption file becomes captions that strict consumers accept.

Consumers: our own WebVTT rule checker, webvtt-py (every cue kept), the W3C webvtt-parser
(node, when ``npm install`` ran in tests/js), ffmpeg (when installed), the ``srt`` package,
jsonschema for the Podcasting 2.0 JSON shape, and lxml for the HTML form. No word is lost.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import jsonschema
import lxml.html
import pytest
import srt
import webvtt
from conftest import SHARED, corpus_show, needs_shared
from transcript_rules import (
    SEGMENT_SCHEMA,
    check_vtt,
    node_validator,
    unescape,
    webvtt_parser,
    words_of,
)

from feedgen_pod.derive.episode import enrich
from feedgen_pod.formats import (
    EPISODE_FORMATS,
    transcript_html,
    transcript_json,
    transcript_srt,
    transcript_vtt,
)
from feedgen_pod.formats.feedlinks import TRANSCRIPT_FILES
from feedgen_pod.load.captions import load_raw_captions
from feedgen_pod.load.episodes import load_episode
from feedgen_pod.load.people import load_people
from feedgen_pod.load.show import discover, load_episodes
from feedgen_pod.model import Episode, Show

pytestmark = needs_shared


def _show() -> Show:
    return corpus_show()


@pytest.fixture(scope="module")
def sources():
    """(show, [(name, episode, source words)]) for the corpus, the seed episodes and raw files."""
    show = _show()
    found = discover(show)
    show = found.show
    problems: list = []
    items = []
    for episode in load_episodes(found, problems):
        items.append((episode.slug, episode))
    people = load_people(show.people_dir, problems)
    for path in sorted((SHARED / "seeds").glob("00[01]_*.txt")):
        episode = load_episode(path, people, problems, show.hosts)
        assert episode is not None, path
        items.append((path.name, episode))
    for path in sorted((SHARED / "seeds").glob("00[234]_*.txt")):
        raw = load_raw_captions(path, problems)
        assert raw is not None and raw.captions, path
        items.append(
            (path.name, Episode(slug=path.stem, source=path, title=path.stem, captions=raw))
        )
    out = []
    for name, episode in items:
        if episode.lines:
            words = words_of(line.text for line in episode.lines)
        else:
            words = words_of(c.text for c in episode.captions.captions) if episode.captions else []
        enriched = enrich(show, episode, problems)
        if words:
            out.append((name, enriched, words))
        else:
            assert not enriched.cues, name
    return show, out


def test_every_transcript_has_cues(sources):
    _, items = sources
    assert len(items) >= 20  # 20 corpus episodes (some without transcript) + 5 seeds
    for name, episode, _ in items:
        assert episode.cues, name


def test_cues_are_ordered_and_keep_every_word(sources):
    show, items = sources
    limit = show.transcripts.max_line_length
    for name, episode, words in items:
        cues = episode.cues
        assert words_of(c.text for c in cues) == words, name
        for before, cue in pairwise(cues):
            assert cue.start == before.end, name  # ends where the next starts
        for cue in cues:
            assert cue.start < cue.end, (name, cue)
            lines = cue.text.split("\n")
            assert len(lines) <= show.transcripts.max_lines, (name, cue)
            # a line is over the limit only when it is one word too long to break
            assert all(len(ln) <= limit or " " not in ln for ln in lines), (name, cue)
        if episode.duration:
            assert cues[-1].end == pytest.approx(episode.duration, abs=61) or (
                cues[-1].end < episode.duration
            ), name


def test_headers_are_not_cues(sources):
    _, items = sources
    for name, episode, _ in items:
        headers = {e.title for e in episode.transcript if not hasattr(e, "speaker")}
        spoken = {c.text.replace("\n", " ") for c in episode.cues}
        assert not (headers & spoken) or name  # a header only appears when also spoken


def test_vtt_passes_our_rules_and_webvtt_py(sources):
    _, items = sources
    for name, episode, words in items:
        data = transcript_vtt.render(episode.cues)
        parsed = check_vtt(data)
        assert len(parsed) == len(episode.cues), name
        assert words_of(c.text for c in parsed) == words, name
        for cue, got in zip(episode.cues, parsed):
            assert got.voice == cue.speaker
        lenient = webvtt.from_buffer(io.StringIO(data.decode("utf-8")))
        assert len(lenient.captions) == len(episode.cues), name
        assert words_of(unescape(c.text) for c in lenient.captions) == words, name  # no unescape


def test_vtt_passes_w3c_webvtt_parser(sources, tmp_path):
    if node_validator() is None:
        pytest.skip("node or tests/js/node_modules missing: run `npm install` in tests/js")
    _, items = sources
    paths = {}
    for name, episode, _ in items:
        path = tmp_path / f"{name}.vtt"
        path.write_bytes(transcript_vtt.render(episode.cues))
        paths[str(path)] = episode
    results = webvtt_parser([Path(p) for p in paths])
    for path, episode in paths.items():
        result = results[path]
        assert result["errors"] == [], (path, result["errors"][:3])
        assert len(result["cues"]) == len(episode.cues), path
        for cue, got in zip(episode.cues, result["cues"]):
            assert got["text"] == cue.text
            assert got["start"] == pytest.approx(cue.start, abs=5e-4)
            assert got["voices"] == ([cue.speaker] if cue.speaker else [])


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_ffmpeg_reads_every_cue(sources, tmp_path):
    _, items = sources
    for name, episode, words in items[::4] + items[-3:]:
        path = tmp_path / "t.vtt"
        path.write_bytes(transcript_vtt.render(episode.cues))
        result = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(path), "-f", "srt", "-"],
            capture_output=True,
            timeout=60,
            check=True,
        )
        back = list(srt.parse(result.stdout.decode("utf-8")))
        assert len(back) == len(episode.cues), name
        assert words_of(c.content for c in back) == words, name


def test_srt_parses_with_srt_package(sources):
    _, items = sources
    for name, episode, words in items:
        data = transcript_srt.render(episode.cues).decode("utf-8")
        subs = list(srt.parse(data))
        assert len(subs) == len(episode.cues), name
        got = []
        for sub, cue in zip(subs, episode.cues):
            assert sub.start.total_seconds() == pytest.approx(cue.start, abs=5e-4)
            assert sub.end.total_seconds() == pytest.approx(cue.end, abs=5e-4)
            content = sub.content
            if cue.speaker:
                assert content.startswith(f"{cue.speaker}: ")
                content = content[len(cue.speaker) + 2 :]
            got.append(content)
        assert words_of(got) == words, name
        assert srt.compose(subs, reindex=False, strict=True) == data


def test_json_has_the_spec_shape(sources):
    _, items = sources
    for name, episode, words in items:
        document = json.loads(transcript_json.render(episode.cues))
        jsonschema.validate(document, SEGMENT_SCHEMA)
        segments = document["segments"]
        assert len(segments) == len(episode.cues)
        assert all(s["startTime"] < s["endTime"] for s in segments), name
        assert words_of(s["body"] for s in segments) == words, name


def test_html_is_the_spec_form_and_keeps_every_word(sources):
    show, items = sources
    for name, episode, words in items:
        data = transcript_html.render(episode.cues, episode.title, show.language, episode.chapters)
        tree = lxml.html.fromstring(data)
        body = tree.find("body")
        assert body is not None
        paragraphs = body.findall("p")
        assert len(body.findall("time")) == len(paragraphs), name
        assert words_of(p.text_content() for p in paragraphs) == words, name
        if any(c.speaker for c in episode.cues):
            assert body.findall("cite"), name


def test_episode_outputs_match_feed_links(sources):
    show, items = sources
    names = {name for name, _, _ in TRANSCRIPT_FILES}
    for name, episode, _ in items:
        outputs = [o for fmt in EPISODE_FORMATS for o in fmt(show, episode).outputs]
        written = {o.path.rsplit("/", 1)[1] for o in outputs} & names
        assert written == names, name
        assert all(o.path.startswith(f"episodes/{episode.slug}/") for o in outputs)
    empty = replace(items[0][1], cues=())
    outputs = [o for fmt in EPISODE_FORMATS for o in fmt(show, empty).outputs]
    assert not {o.path.rsplit("/", 1)[1] for o in outputs} & names
