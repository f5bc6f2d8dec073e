"""Property-based: generated episode files never crash the build or break an output.

Hypothesis writes episode files with random front matter structures and transcript entries
(valid, wrong-typed, hostile text); every build must exit 0 or 1 without a traceback, every
output must parse with its consumer, and the good episode beside it must not change.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hostile_kit import GOOD_SLUG, HOSTILE_TEXTS, check_outputs, episode_files, make_show, run_build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedgen_pod.load.episodes import FIELDS
from feedgen_pod.load.frontmatter import parse

text = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(HOSTILE_TEXTS), st.text(max_size=8)), max_size=6).map(
        "".join
    ),
)
times = st.one_of(
    st.integers(-100, 10**6),
    st.integers(90, 4000).map(lambda n: 10**n - 1),  # too long to be a number of any field
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1:23", "1:02:03", "99:99", "-0:01", "", "abc"]),
    st.none(),
)
leaf = st.one_of(text, times, st.booleans(), st.dates())
value = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
line_entry = st.fixed_dictionaries(
    {"line": st.one_of(text, value)},
    optional={"sec": times, "time": times, "who": st.one_of(text, value)},
)
entry = st.one_of(line_entry, st.fixed_dictionaries({"header": text}), value)
front = st.fixed_dictionaries(
    {"title": st.one_of(text, value), "transcript": st.one_of(st.lists(entry, max_size=8), value)},
    optional={key: value for key in sorted(FIELDS) if key not in ("title", "transcript")},
)
AUDIO = {"url": "https://cdn.example.org/p.mp3", "length": 10}


def render(data: dict, body: str, with_audio: bool) -> str:
    if with_audio and "audio" not in data:
        data = {**data, "audio": AUDIO}
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{dumped}---\n{body}"


@pytest.fixture(scope="module")
def show(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("props")
    config = make_show(root, {})
    run = run_build(config, root / "dist")
    assert run.code == 0, run.stderr
    return root, config, episode_files(check_outputs(root / "dist"), GOOD_SLUG)


def build_one(show, content: str | bytes) -> None:
    root, config, baseline = show
    target = root / "episodes" / "gen.md"
    target.write_bytes(
        content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    )
    out = Path(tempfile.mkdtemp(dir=root))
    try:
        run = run_build(config, out)
        assert run.code in (0, 1), run.stderr
        files = check_outputs(out)
        assert episode_files(files, GOOD_SLUG) == baseline
        if run.code == 0:
            assert "error" not in run.stderr
    finally:
        shutil.rmtree(out)
        target.unlink()


#: ``HOSTILE_EXAMPLES=5000 pytest tests/test_hostile_properties.py`` for a long run
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "60"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(data=front, body=text, with_audio=st.booleans())
def test_generated_episodes_build_and_every_output_parses(show, data, body, with_audio) -> None:
    build_one(show, render(data, body, with_audio))


@SETTINGS
@given(raw=st.binary(max_size=400), prefix=st.sampled_from([b"", b"---\n", b"---\ntitle: x\n"]))
def test_arbitrary_bytes_never_crash_the_build(show, raw: bytes, prefix: bytes) -> None:
    build_one(show, prefix + raw)


@settings(max_examples=200, deadline=None)
@given(data=front, body=text)
def test_the_loader_reads_back_what_yaml_wrote(data, body) -> None:
    """Front matter round-trips: every key comes back, controls removed, nothing raised."""
    doc = parse(render(data, body, False))
    assert set(doc.data) == {str(k) for k in data}
    json.dumps(doc.data, default=str)  # plain data: serialisable again, nothing constructed


stamp = st.builds(
    lambda h, m, s: (f"{h}:" if h else "") + f"{m}:{s:02d}",
    st.integers(0, 200),
    st.integers(0, 99),
    st.integers(0, 99),
)
list_line = st.one_of(st.tuples(stamp, text).map(" ".join), text)
side_file = st.lists(list_line, max_size=8).map("\n".join)


@SETTINGS
@given(timestamps=side_file, captions=side_file, data=front)
def test_generated_timestamp_lists_and_raw_captions(show, timestamps, captions, data) -> None:
    """The other two inputs an episode points to: chapter lists and raw YouTube captions."""
    root = show[0]
    (root / "episodes" / "gen-ts.txt").write_bytes(timestamps.encode("utf-8", "surrogatepass"))
    (root / "episodes" / "gen-raw.txt").write_bytes(captions.encode("utf-8", "surrogatepass"))
    data = {**data, "timestamps": "gen-ts.txt", "captions": "gen-raw.txt"}
    build_one(show, render(data, "", True))
