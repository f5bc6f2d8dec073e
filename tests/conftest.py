"""Shared fixtures: where the real archive is, and a skip when it is not there."""

from __future__ import annotations

from pathlib import Path

import pytest

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
