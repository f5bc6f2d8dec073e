"""Shared fixtures: where the real archive is, and a skip when it is not there."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from feedgen_pod.build.run import BuildOptions, build
from feedgen_pod.config import load_config
from feedgen_pod.load.show import slug_for
from feedgen_pod.model import Show

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"

needs_shared = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent (CI always has it)"
)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (CI always has it)")
    return CORPUS


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent (CI always has it)")
    return SEEDS


def corpus_show(**changes: object) -> Show:
    """The project's config with its episodes and people taken from ../shared/corpus."""
    show, _ = load_config(ROOT / "config" / "podcast.yaml")
    dirs = {"episodes_dir": CORPUS / "episodes", "people_dir": CORPUS / "people"}
    return replace(show, **{**dirs, **changes})


@pytest.fixture(scope="module")
def servers():
    """One local HTTP server for a module's link checks (a module needing more overrides it)."""
    from linkserver import Servers

    s = Servers(1)
    yield s
    s.close()


@pytest.fixture(scope="module")
def corpus_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus built with a local audio file per episode, so every one is in the feed."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (CI always has it)")
    return build_corpus_dist(CORPUS, tmp_path_factory.mktemp("corpus"))


def build_corpus_dist(corpus: Path, root: Path) -> Path:
    media = root / "media"
    media.mkdir()
    for path in (corpus / "episodes").glob("*.md"):
        (media / f"{slug_for(path)}.mp3").write_bytes(b"\xff\xfb" + bytes(998))
    show = replace(corpus_show(), audio_feed=None, media_dir=media)
    build(show, BuildOptions(out=root / "dist", use_cache=False, jobs=1))
    return root / "dist"
