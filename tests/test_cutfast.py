"""The C cue cutter gives exactly what the Python reference gives.

``feedgen_pod.derive._cutfast`` is built at install when a C compiler is there (CI requires it, see
``.ci/run``); ``cue_cutting.cut_python`` is the reference. Both are compared on generated lines
(punctuation the cutter cuts at, words wider than a line, Unicode and odd whitespace, any
settings) and on every transcript line of the corpus.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from conftest import CORPUS, corpus_show
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.derive import cue_cutting
from feedgen_pod.load.show import discover, load_episodes
from feedgen_pod.model import TranscriptLine, TranscriptSettings

fast = pytest.importorskip(
    "feedgen_pod.derive._cutfast", reason="the C cutter was not built (no C compiler at install)"
)

#: words the cutter treats specially, and plain ones of every width
WORDS = st.one_of(
    st.sampled_from(
        [
            "end.",
            "why?",
            "so!",
            "wait…",
            "said.”",
            "(yes.)",
            "no.'\"",
            "well,",
            "then;",
            "note:",
            "this,’",
            "dash—",
            "range–",
            "-",
            "--",
            "—",
            "–",
            "a.b",
            ".",
            ",",
            "”",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=12),
    st.text("x", min_size=30, max_size=120),  # wider than a line
)
GAPS = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x1c"])


@st.composite
def lines(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, max_size=80))
    gaps = draw(st.lists(GAPS, min_size=len(words), max_size=len(words)))
    return draw(GAPS) * draw(st.booleans()) + "".join(w + g for w, g in zip(words, gaps))


@settings(max_examples=1500, deadline=None)
@given(lines(), st.integers(1, 60), st.integers(1, 4))
def test_c_cuts_as_the_reference_for_any_line_and_settings(
    text: str, width: int, count: int
) -> None:
    limits = TranscriptSettings(width, count)
    assert fast.cut(text, width, count) == cue_cutting.cut_python(text, limits)


def test_c_cuts_every_corpus_line_as_the_reference() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (CI always has it)")
    sources = discover(corpus_show())
    texts = [
        entry.text
        for episode in load_episodes(sources, [])
        for entry in episode.transcript
        if isinstance(entry, TranscriptLine)
    ]
    assert len(texts) > 2000
    cut_somewhere = 0
    for width, count in [(42, 2), (32, 2), (42, 1), (37, 3)]:
        limits = TranscriptSettings(width, count)
        for text in texts:
            pieces = fast.cut(text, width, count)
            assert pieces == cue_cutting.cut_python(text, limits), text
            cut_somewhere += len(pieces) > 1
    assert cut_somewhere > 1000  # the corpus exercises the splitting, not only short lines


@pytest.mark.parametrize(
    ("user", "c_function"), [("feedgen_pod.derive.cue_cutting", "feedgen_pod.derive._cutfast.cut")]
)
def test_each_c_module_is_used_unless_told_not_to(user: str, c_function: str) -> None:
    """The C cue cutter is what its Python module calls, and ``FEEDGEN_POD_PURE_PYTHON``
    turns it off."""
    module, _, name = c_function.rpartition(".")
    assert importlib.import_module(user)._FAST is getattr(importlib.import_module(module), name)
    code = f"import {user} as m; print(m._FAST is None)"
    env = {**os.environ, "FEEDGEN_POD_PURE_PYTHON": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr


def test_settings_beyond_the_c_limits_go_to_python() -> None:
    with pytest.raises(ValueError):
        fast.cut("a b", 0, 2)
    huge = TranscriptSettings(1 << 30, 2)
    assert cue_cutting.cut("a b c", huge) == [(0, 3, "a b c")]
