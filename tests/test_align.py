"""The aligner: edited transcripts timed by their raw captions, measured on the real pairs."""

from __future__ import annotations

import itertools
import random
import statistics
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.derive.alignment import align_episode, align_transcript, caption_word_times
from feedgen_pod.derive.cue_timing import build_cues
from feedgen_pod.derive.word_alignment import align_sequences, normalise_word
from feedgen_pod.errors import Problem, Severity
from feedgen_pod.load.captions import load_raw_captions
from feedgen_pod.load.episodes import load_episode
from feedgen_pod.model import Episode, RawCaption, RawCaptions, TranscriptLine

PAIRS = {
    "seed001+002": ("001_*.txt", "002_*.txt"),
    "software-engineer+004": ("corpus:from-software-engineer-to-machine-learning.md", "004_*.txt"),
}


def _seed(pattern: str) -> Path:
    if pattern.startswith("corpus:"):
        return CORPUS / "episodes" / pattern.removeprefix("corpus:")
    return next(SEEDS.glob(pattern))


def _load(name: str) -> tuple[Episode, RawCaptions]:
    if not SEEDS.is_dir() or not CORPUS.is_dir():
        pytest.skip("../shared is absent (CI always has it)")
    episode_file, raw_file = PAIRS[name]
    problems: list[Problem] = []
    episode = load_episode(_seed(episode_file), {}, problems)
    captions = load_raw_captions(_seed(raw_file), problems)
    assert episode is not None and captions is not None
    return episode, captions


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _raw_intervals(lines, alignment, captions) -> list[tuple[float, float]]:
    """Per edited word, when the raw captions say it was spoken.

    A matched word lies in its caption line (its start to the next caption's start). An
    unmatched word lies between the caption lines of its matched neighbours.
    """
    caps = captions.captions
    ends = [c.start for c in caps[1:]] + [caps[-1].start + 5.0]
    index = [c for row in alignment.caption_index for c in row]
    lo: list[float] = []
    last = 0.0
    for c in index:
        if c >= 0:
            last = caps[c].start
        lo.append(last)
    hi: list[float] = [0.0] * len(index)
    nxt = ends[-1]
    for w in range(len(index) - 1, -1, -1):
        if index[w] >= 0:
            nxt = ends[index[w]]
        hi[w] = nxt
    return list(zip(lo, hi))


def _cue_first_words(cues, words_per_line) -> list[int]:
    firsts, pos = [], 0
    for cue in cues:
        firsts.append(pos)
        pos += len(cue.text.split())
    assert pos == sum(words_per_line), "cues hold every word once"
    return firsts


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_real_pair_aligns_and_cues_start_within_two_seconds(name: str) -> None:
    episode, captions = _load(name)
    lines = episode.lines
    problems: list[Problem] = []
    alignment = align_transcript(lines, captions.captions, name, problems)
    assert alignment is not None, problems
    stats = alignment.stats
    print(f"\n{name}: {stats.describe()}")
    assert stats.share >= 0.9
    assert stats.matched_share >= 0.75

    aligned_lines = [
        replace(ln, start=times[0]) if times else ln
        for ln, times in zip(lines, alignment.word_times)
    ]
    aligned = build_cues(aligned_lines, episode.duration, word_times=alignment.word_times)
    guessed = build_cues(lines, episode.duration)
    counts = [len(ln.text.split()) for ln in lines]
    intervals = _raw_intervals(lines, alignment, captions)
    index = [c for row in alignment.caption_index for c in row]

    def errors(cues) -> list[float]:
        out = []
        for cue, first in zip(cues, _cue_first_words(cues, counts)):
            lo, hi = intervals[first]
            out.append(max(0.0, lo - cue.start, cue.start - hi))
        return out

    err_aligned, err_guessed = errors(aligned), errors(guessed)
    firsts = _cue_first_words(aligned, counts)
    matched_firsts = sum(1 for f in firsts if index[f] >= 0)
    widths = [intervals[f][1] - intervals[f][0] for f in firsts]
    for label, errs in (("aligned", err_aligned), ("paragraph-proportional", err_guessed)):
        print(
            f"  {label:>22}: {len(errs)} cues, distance of start to the raw time of its first "
            f"word: median {statistics.median(errs):.2f}s, p90 {_pct(errs, 0.9):.2f}s, "
            f"max {max(errs):.2f}s, within 2s {sum(e <= 2 for e in errs) / len(errs):.1%}"
        )
    print(
        f"  first word matched for {matched_firsts}/{len(firsts)} cues; raw interval width "
        f"median {statistics.median(widths):.1f}s, p90 {_pct(widths, 0.9):.1f}s"
    )
    assert max(err_aligned) <= 2.0
    assert statistics.mean(err_guessed) > 5 * statistics.mean(err_aligned) + 0.5
    assert _pct(err_guessed, 0.9) > 2.0


def test_build_path_retimes_lines_and_reports(tmp_path: Path) -> None:
    episode, captions = _load("seed001+002")
    episode = replace(episode, captions=captions)
    problems: list[Problem] = []
    retimed, word_times = align_episode(episode, problems)
    assert word_times is not None
    assert [p.severity for p in problems] == [Severity.INFO]
    assert "words aligned" in problems[0].message
    for line, times in zip(retimed.lines, word_times):
        assert line.start == pytest.approx(times[0], abs=0.001)
    starts = [ln.start for ln in retimed.lines]
    assert starts == sorted(starts), "aligned line starts never go back"
    # the paragraph said 0:14 for "Do not forget to subscribe"; the captions say 0:26
    subscribe = next(ln for ln in retimed.lines if ln.text.startswith("Do not forget"))
    assert 26 <= subscribe.start <= 28


def test_unrelated_and_shuffled_captions_are_refused() -> None:
    episode, captions = _load("seed001+002")
    _, other = _load("software-engineer+004")
    caps = list(captions.captions)
    rng = random.Random(7)
    shuffled_lines = rng.sample(caps, len(caps))
    texts = rng.sample([c.text for c in caps], len(caps))
    shuffled_texts = [RawCaption(c.start, t) for c, t in zip(caps, texts)]
    starts = rng.sample([c.start for c in caps], len(caps))
    shuffled_times = [RawCaption(s, c.text) for c, s in zip(caps, starts)]
    blocks = [caps[i : i + 40] for i in range(0, len(caps), 40)]
    rng.shuffle(blocks)
    shuffled_blocks = [c for b in blocks for c in b]
    raw_only = load_raw_captions(next(SEEDS.glob("003_*.txt")), [])
    assert raw_only is not None
    cases = {
        "unrelated episode": other.captions,
        "raw-only 003": raw_only.captions,
        "shuffled lines": shuffled_lines,
        "shuffled texts": shuffled_texts,
        "shuffled times": shuffled_times,
        "shuffled blocks of 40": shuffled_blocks,
    }
    for label, bad in cases.items():
        problems: list[Problem] = []
        assert align_transcript(episode.lines, bad, "x.md", problems) is None, label
        assert len(problems) == 1 and problems[0].severity is Severity.WARNING, label
        assert "not aligned" in problems[0].message
        print(f"{label}: {problems[0].message}")


# --- properties -------------------------------------------------------------------------------

WORDS = st.lists(
    st.sampled_from(
        ["the", "a", "data", "we", "it", "is", "and", "model", "club", "time", "of", "to"]
    )
)


@given(WORDS)
def test_a_sequence_aligns_with_itself_exactly(words: list[str]) -> None:
    assert align_sequences(words, words) == [(i, i) for i in range(len(words))]


def _lines_and_captions(words: list[str], per_line: int, per_caption: int):
    lines = [
        TranscriptLine(" ".join(words[i : i + per_line]), None, float(i))
        for i in range(0, len(words), per_line)
    ]
    captions = [
        RawCaption(i * 0.5, " ".join(words[i : i + per_caption]))
        for i in range(0, len(words), per_caption)
    ]
    return lines, captions


@settings(max_examples=40, deadline=None)
@given(st.integers(60, 400), st.integers(3, 60), st.integers(2, 8))
def test_a_transcript_timed_by_its_own_captions_is_exact(n: int, per_line: int, per_cap: int):
    words = [f"w{i % 97}" for i in range(n)]  # repeats, so anchors are not trivial
    lines, captions = _lines_and_captions(words, per_line, per_cap)
    alignment = align_transcript(lines, captions, "x", [])
    assert alignment is not None
    assert alignment.stats.matched == n
    flat = [t for row in alignment.word_times for t in row]
    assert flat == pytest.approx(caption_word_times(captions))


EDIT = st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.floats(0, 1))


@settings(max_examples=60, deadline=None)
@given(st.integers(50, 600), st.lists(EDIT, max_size=80), st.integers(0, 10**6))
def test_random_edits_keep_order_and_untouched_words(n: int, edits, seed: int) -> None:
    original = [f"u{i}" for i in range(n)]  # each untouched word is unique
    edited: list[tuple[str, int | None]] = [(w, i) for i, w in enumerate(original)]
    rng = random.Random(seed)
    common = ["the", "and", "a", "data", "so", "um", "we"]
    for kind, where in edits:
        pos = int(where * len(edited))
        if kind == "insert":
            edited.insert(pos, (rng.choice(common), None))
        elif edited and pos < len(edited):
            if kind == "delete":
                del edited[pos]
            else:
                edited[pos] = (rng.choice(common), None)
    a = [w for w, _ in edited]
    pairs = align_sequences(a, original)
    assert all(a[i] == original[j] for i, j in pairs)
    assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in itertools.pairwise(pairs))
    matched = dict(pairs)
    for i, (_, source) in enumerate(edited):
        if source is not None:
            assert matched.get(i) == source


@settings(max_examples=20, deadline=None)
@given(st.integers(300, 1500), st.integers(0, 10**6))
def test_shuffled_synthetic_captions_are_refused(n: int, seed: int) -> None:
    rng = random.Random(seed)
    vocab = [f"v{i}" for i in range(400)]
    words = [rng.choice(vocab) for _ in range(n)]
    lines, captions = _lines_and_captions(words, 40, 5)
    assert align_transcript(lines, captions, "x", []) is not None
    shuffled = rng.sample(captions, len(captions))
    problems: list[Problem] = []
    assert align_transcript(lines, shuffled, "x", problems) is None
    assert problems and "not aligned" in problems[0].message


def test_normalise_word() -> None:
    assert normalise_word("Don't") == ("do", "not")
    assert normalise_word("it's") == ("it", "is")
    assert normalise_word("Um,") == ()
    assert normalise_word("ten") == normalise_word("10")
    assert normalise_word("community-driven") == ("community", "driven")
    assert normalise_word("Café") == ("cafe",)


# --- the build and the command ------------------------------------------------------------


def test_default_show_chapters_start_where_their_lines_really_start() -> None:
    from conftest import ROOT

    from feedgen_pod.config import load_config
    from feedgen_pod.derive.episode import enrich
    from feedgen_pod.model import SectionHeader

    show, _ = load_config(ROOT / "config" / "podcast.yaml")
    problems: list[Problem] = []
    path = ROOT / "episodes" / "s21e08-from-semiconductors-to-machine-learning.md"
    original = load_episode(path, {}, problems)
    assert original is not None and original.captions is not None
    episode = enrich(show, original, problems)
    assert any(p.severity is Severity.INFO and "aligned" in p.message for p in problems)
    after_header = [
        line.start
        for entry, line in zip(episode.transcript, episode.transcript[1:])
        if isinstance(entry, SectionHeader) and isinstance(line, TranscriptLine)
    ]
    chapter_starts = [c.start for c in episode.chapters]
    assert set(chapter_starts) <= {*after_header, 0.0}
    moved = [a != b.start for a, b in zip((ln.start for ln in episode.lines), original.lines)]
    assert sum(moved) > len(moved) // 2, "most lines start at their aligned time"
    cue_starts = [c.start for c in episode.cues]
    assert cue_starts == sorted(cue_starts)


def test_captions_command_aligns_an_episode(tmp_path: Path, seeds: Path) -> None:
    import webvtt

    from feedgen_pod.cli import main

    episode_file, raw_file = _seed("001_*.txt"), _seed("002_*.txt")
    out = tmp_path / "aligned.vtt"
    assert main(["captions", str(raw_file), "--align", str(episode_file), "-o", str(out)]) == 0
    cues = list(webvtt.read(str(out)))
    assert len(cues) > 500
    subscribe = next(c for c in cues if "Do not forget" in c.text)
    assert 26 <= subscribe.start_in_seconds <= 28  # the paragraph said 0:14
    refused = tmp_path / "refused.srt"
    other_raw = _seed("004_*.txt")
    assert main(["captions", str(other_raw), "--align", str(episode_file), "-o", str(refused)]) != 0
    assert not refused.exists()


def test_captions_covering_part_of_the_episode_time_that_part_only() -> None:
    from feedgen_pod.derive.alignment import align_entries, paragraph_times

    episode, captions = _load("software-engineer+004")
    caps = captions.captions
    head = caps[: int(len(caps) * 0.4)]
    problems: list[Problem] = []
    aligned = align_entries(episode.transcript, head, "x.md", problems)
    assert aligned is not None
    assert 0.3 <= aligned.stats.share <= 0.5
    assert problems[-1].severity is Severity.WARNING, "under 90% aligned is a warning"
    flat = [t for row in aligned.word_times for t in row]
    assert flat == sorted(flat)
    prop = [t for row in paragraph_times(episode.lines) for t in row]
    tail = len(flat) * 3 // 4
    same = sum(abs(t - p) < 0.01 for t, p in zip(flat[tail:], prop[tail:]))
    # uncovered words keep the paragraph times, except where those go back in time
    assert same >= 0.95 * (len(flat) - tail)
