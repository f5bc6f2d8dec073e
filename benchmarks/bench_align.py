"""Time the aligner: the real pairs, the longest corpus episode, and 10,000 synthetic words.

Run: ``python benchmarks/bench_align.py`` (best of 5 runs, milliseconds, whole
``align_transcript``: tokenising, anchoring, filling, timing and stats).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from feedgen_pod.derive.alignment import align_transcript
from feedgen_pod.derive.word_alignment import _normalise
from feedgen_pod.load.captions import load_raw_captions
from feedgen_pod.load.episodes import load_episode
from feedgen_pod.model import RawCaption, TranscriptLine

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def best_ms(lines, captions, runs: int = 5) -> tuple[float, str]:
    best, described = float("inf"), "refused"
    for _ in range(runs):
        problems: list = []
        _normalise.cache_clear()  # every run tokenises cold, as a build does
        start = time.perf_counter()
        result = align_transcript(lines, captions, "bench", problems)
        best = min(best, (time.perf_counter() - start) * 1000)
        described = result.stats.describe() if result else str(problems[0])
    return best, described


def mutated_captions(lines, rng: random.Random, seconds_per_word: float = 0.4):
    """Captions as YouTube makes them from the edited words: fillers, slips, repeats."""
    words = [w for line in lines for w in line.text.split()]
    spoken: list[str] = []
    for word in words:
        roll = rng.random()
        if roll < 0.05:
            continue  # dropped
        if roll < 0.10:
            spoken.append(rng.choice(["um", "uh", "like", "so", "you know"]))
        if roll < 0.15:
            word = "misheard"
        spoken.append(word)
        if roll > 0.98:
            spoken.append(word)  # a repeat
    captions = []
    for i in range(0, len(spoken), 6):
        captions.append(RawCaption(i * seconds_per_word, " ".join(spoken[i : i + 6])))
    return captions


def synthetic(n: int, rng: random.Random):
    vocab = [f"w{i}" for i in range(3000)] + ["the", "a", "and", "data", "we", "so"] * 200
    words = [rng.choice(vocab) for _ in range(n)]
    lines = [TranscriptLine(" ".join(words[i : i + 80]), None, i * 0.4) for i in range(0, n, 80)]
    return lines, mutated_captions(lines, rng)


def main() -> int:
    rng = random.Random(1)
    rows: list[tuple[str, int, int, float, str]] = []
    pairs = [
        (SHARED / "seeds", "001_*.txt", "002_*.txt"),
        (SHARED / "corpus" / "episodes", "from-software-engineer-to-machine-learning.md", None),
    ]
    if SHARED.is_dir():
        for folder, episode_glob, raw_glob in pairs:
            episode = load_episode(next(folder.glob(episode_glob)), {}, [])
            raw_path = next((SHARED / "seeds").glob(raw_glob or "004_*.txt"))
            captions = load_raw_captions(raw_path, [])
            assert episode and captions
            ms, what = best_ms(episode.lines, captions.captions)
            rows.append(
                (
                    episode.source.name[:40],
                    _words(episode.lines),
                    _cwords(captions.captions),
                    ms,
                    what,
                )
            )
        longest = max(
            (
                load_episode(p, {}, [])
                for p in sorted((SHARED / "corpus" / "episodes").glob("*.md"))
            ),
            key=lambda e: _words(e.lines) if e else 0,
        )
        assert longest is not None
        caps = mutated_captions(longest.lines, rng)
        ms, what = best_ms(longest.lines, caps)
        rows.append(
            (f"longest: {longest.source.name[:31]}", _words(longest.lines), _cwords(caps), ms, what)
        )
    for n in (10_000, 20_000):
        lines, caps = synthetic(n, rng)
        ms, what = best_ms(lines, caps)
        rows.append((f"synthetic {n} words", n, _cwords(caps), ms, what))
    print(f"{'case':<48} {'edited':>7} {'raw':>7} {'ms':>8}  result")
    for name, a, b, ms, what in rows:
        print(f"{name:<48} {a:>7} {b:>7} {ms:>8.1f}  {what}")
    return 0


def _words(lines) -> int:
    return sum(len(line.text.split()) for line in lines)


def _cwords(captions) -> int:
    return sum(len(c.text.split()) for c in captions)


if __name__ == "__main__":
    sys.exit(main())
