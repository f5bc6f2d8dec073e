"""Numbers too long or too large to convert: each costs its own field, line or item, never the run.

Python refuses to turn a string of more than 4,300 digits into an integer (and an integer that
long back into text), ``float()`` overflows on a whole number past 10**308, and ``int()`` of an
infinity raises. A hostile ``sec: 999…`` once ended a build with a traceback before anything was
written. Every place that converts a number from an input file is fed such numbers here: front
matter fields, transcript entries, timestamp lists, raw captions, the host feed and the config.
Builds go through the real CLI beside ``good.md``, whose outputs must not change.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import lxml.etree
import pytest
from hostile_kit import CONFIG, check_outputs, episode, episode_files, make_show, run_build
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hostile_config import assert_config_error, config_with
from test_hostile_frontmatter import assert_good_intact, assert_reported, build

from feedgen_pod import config_values
from feedgen_pod.load import field_base, fields, frontmatter, hostfeed, yaml_nodes
from feedgen_pod.load.dates import read_date
from feedgen_pod.times import parse_clock

#: past the 4,300 digits Python converts
LONG = "9" * 5000
#: short enough to read, too large for a float
HUGE = "9" * 400
HEX = "0x" + "f" * 4000
BINARY = "0b" + "1" * 15000
SEXAGESIMAL = "1" + ":59" * 3000


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("baseline")
    run = run_build(make_show(root, {}), root / "dist")
    assert run.code == 0, run.stderr
    return check_outputs(root / "dist")


FIELD_CASES = [
    (f"season: {LONG}", "season", "whole number"),
    (f"season: {SEXAGESIMAL}", "season", "whole number"),
    (f"episode: {BINARY}", "episode", "whole number"),
    (f"episode: {HUGE}", "episode", "whole number"),
    (f"duration: {LONG}", "duration", "ISO 8601"),
    (f"duration: {HUGE}", "duration", "ISO 8601"),
    (f"duration: {HEX}", "duration", "ISO 8601"),
    (f"duration: '{LONG}:00:00'", "duration", "ISO 8601"),
    (f"date: {LONG}", "date", "expected a date"),
    (f"dateadded: {HEX}", "dateadded", "expected a date"),
    (f"ids: {{youtube: {LONG}}}", "ids.youtube", "YouTube"),
    (f"audio: {{url: 'https://x.example/a.mp3', length: {LONG}}}", "audio", "bytes"),
    (f"audio: {{url: 'https://x.example/a.mp3', length: 1, duration: {HUGE}}}", "audio", "100"),
    (f"quotableClips: [{{name: x, startOffset: {LONG}}}]", "quotableClips.0", "100 hours"),
    (f"quotableClips: [{{name: x, startOffset: 1, endOffset: {HEX}}}]", "quotableClips.0", "time"),
]


@pytest.mark.parametrize(
    ("yaml_line", "field", "phrase"), FIELD_CASES, ids=[c[0][:24] for c in FIELD_CASES]
)
def test_a_number_too_long_costs_only_its_field(
    tmp_path: Path, baseline, yaml_line: str, field: str, phrase: str
) -> None:
    run, files = build(tmp_path, {"n.md": episode(f"title: Long number\n{yaml_line}")})
    assert run.code == 1, run.stderr
    assert_reported(run.stderr, "n.md", 3, field, phrase)
    assert max(len(line) for line in run.stderr.splitlines()) < 400, "the number is not repeated"
    assert episode_files(files, "n")
    assert b"<title>Long number</title>" in files["feed.xml"] or field == "audio"
    assert_good_intact(files, baseline)


def test_a_title_of_digits_is_text(tmp_path: Path, baseline) -> None:
    run, files = build(tmp_path, {"n.md": episode(f"title: {LONG}")})
    assert run.code == 0, run.stderr
    assert f"<title>{LONG}</title>".encode() in files["feed.xml"]
    assert_good_intact(files, baseline)


TRANSCRIPT_CASES = [
    (f"sec: {LONG}", "sec", "100 hours"),
    (f"sec: -{LONG}", "sec", "time"),
    (f"sec: {HEX}", "sec", "time"),
    (f"sec: {HUGE}", "sec", "100 hours"),
    (f"sec: {SEXAGESIMAL}", "sec", "time"),
    ("sec: .inf", "sec", "100 hours"),
    ("sec: .nan", "sec", "100 hours"),
    (f"sec: 1e{LONG}", "sec", "time"),
    (f"time: {LONG}", "time", "interpolated"),
    (f"time: '{LONG}:00:00'", "time", "interpolated"),
    ("time: '9999999999:00:00'", "time", "interpolated"),
    (f"time: {BINARY}", "time", "interpolated"),
]


@pytest.mark.parametrize(
    ("entry", "field", "phrase"), TRANSCRIPT_CASES, ids=[c[0][:24] for c in TRANSCRIPT_CASES]
)
def test_a_transcript_number_too_long_costs_only_its_entry(
    tmp_path: Path, baseline, entry: str, field: str, phrase: str
) -> None:
    transcript = (
        "transcript:\n- line: First words here.\n  sec: 0\n"
        f"- line: Second words here.\n  {entry}\n- line: Third words here.\n  sec: 20\n"
    )
    content = episode("title: Long time", transcript=transcript)
    run, files = build(tmp_path, {"n.md": content})
    assert run.code == 1, run.stderr
    line = content.split("\n").index(f"  {entry}") + 1
    assert_reported(run.stderr, "n.md", line, f"transcript.1.{field}", phrase)
    assert max(len(line) for line in run.stderr.splitlines()) < 400, "the number is not repeated"
    vtt = episode_files(files, "n")["transcript.vtt"].decode()
    assert all(words in vtt for words in ("First words", "Second words", "Third words"))
    assert_good_intact(files, baseline)


@pytest.mark.parametrize("hours", [LONG, HUGE, "999999999", "101"])
def test_timestamp_lists_and_raw_captions_skip_a_time_past_100_hours(
    tmp_path: Path, baseline, hours: str
) -> None:
    transcript = "transcript:\n" + "\n".join(
        f"- line: Words {i}.\n  sec: {i * 30}" for i in range(3)
    )
    content = episode("title: Lists\ntimestamps: ts.txt\ncaptions: raw.txt", transcript=transcript)
    make_show(tmp_path, {"t.md": content})
    late = f"{hours}:00:00"
    (tmp_path / "episodes" / "ts.txt").write_text(f"0:00 Intro\n{late} Late\n0:30 Middle\n")
    (tmp_path / "episodes" / "raw.txt").write_text(f"0:00 words one\n{late} words two\n")
    run = run_build(tmp_path / "config" / "podcast.yaml", tmp_path / "dist")
    assert run.code in (0, 1), run.stderr
    assert "ts.txt:2: warning: time" in run.stderr and "past 100 hours" in run.stderr
    assert "raw.txt:2: warning: captions: time" in run.stderr
    assert max(len(line) for line in run.stderr.splitlines()) < 400, "the number is not repeated"
    files = check_outputs(tmp_path / "dist")
    titles = [c["title"] for c in json.loads(files["episodes/t/chapters.json"])["chapters"]]
    assert "Late" not in titles and "Middle" in titles
    assert_good_intact(files, baseline)


def host_feed(length: str, duration: str, published: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Host</title>'
        "<item><title>A good episode</title><guid>g1</guid>"
        f'<enclosure url="https://x.example/a.mp3" length="{length}" type="audio/mpeg"/>'
        f"<itunes:duration>{duration}</itunes:duration><pubDate>{published}</pubDate>"
        "</item></channel></rss>"
    )


@pytest.mark.parametrize(
    ("length", "duration", "published"),
    [
        (LONG, LONG, f"Mon, 01 Jan {LONG} 00:00:00 +0000"),
        ("²", f"{LONG}:00:00", "Mon, 01 Jan 99999999999999999999 00:00:00 +0000"),
        (HUGE, HUGE, f"{LONG}-01-01"),
        ("1" * 14, "999999999:00:00", "Mon, 01 Jan 2024 00:00:00 +9999"),
    ],
    ids=["long", "unicode-digit", "huge", "past-limits"],
)
def test_host_feed_numbers_too_long_are_left_unread(
    tmp_path: Path, length: str, duration: str, published: str
) -> None:
    make_show(tmp_path, {"good.md": episode("title: A good episode", audio=False)}, good=False)
    feed = tmp_path / "host.xml"
    feed.write_text(host_feed(length, duration, published))
    run = run_build(
        tmp_path / "config" / "podcast.yaml", tmp_path / "dist", "--audio-feed", str(feed)
    )
    assert run.code in (0, 1), run.stderr
    files = check_outputs(tmp_path / "dist")
    item = lxml.etree.fromstring(files["feed.xml"]).find("channel/item")
    assert item is not None and item.findtext("guid") == "g1"
    assert item.find("enclosure").get("length") == "0"
    assert len(files["feed.xml"]) < 20_000, "no number was copied into the feed"


@pytest.mark.parametrize(
    "line",
    [
        f"transcripts: {{max_line_length: {LONG}}}",
        f"transcripts: {{max_lines: {HEX}}}",
        "transcripts: {max_lines: .inf}",
        "transcripts: {max_line_length: .nan}",
        "chapters: {min_seconds: .inf}",
        f"chapters: {{min_seconds: {HUGE}}}",
    ],
    ids=["long", "hex", "inf", "nan", "inf-seconds", "huge"],
)
def test_config_numbers_too_long_or_infinite_are_a_config_error(tmp_path: Path, line: str):
    message = assert_config_error(tmp_path, config_with(line), "positive number")
    assert len(message) < 400, "the number is not repeated"


# -- properties: whatever the number, a value within bounds or the field's own error --------

#: number shapes YAML 1.1 reads as int or float, each with a length from 1 to 6,000 digits
NUMBER_SHAPES = ["{}", "-{}", "+{}", "0x{}", "0o{}", "0b{}", "1:{}", "{}.5", "1e{}", "{}_1"]


def number_text(shape: str, digits: int, digit: str) -> str:
    alphabet = {"0x": "f", "0o": "7", "0b": "1", "1:": None}
    for prefix, top in alphabet.items():
        if shape.startswith(prefix):
            if top is None:  # base 60: 1:59:59:…
                return "1" + ":59" * max(1, digits // 3)
            return shape.format(top * digits)
    return shape.format("1" + digit * (digits - 1))


@settings(max_examples=150, deadline=None)
@given(
    shape=st.sampled_from(NUMBER_SHAPES),
    digits=st.one_of(st.integers(1, 30), st.integers(90, 6000)),
    digit=st.sampled_from("09"),
    key=st.sampled_from(["sec", "season", "length"]),
)
def test_the_loader_never_hands_on_a_number_it_cannot_write(shape, digits, digit, key) -> None:
    text = number_text(shape, digits, digit)
    data, lines, _ = frontmatter.load_yaml(f"title: t\n{key}: {text}\n", 2)
    value = data[key]
    assert lines[key] == 3
    assert isinstance(value, (str, int, float))
    if isinstance(value, int):
        assert len(str(value)) <= 2 * yaml_nodes.MAX_NUMBER_CHARS
    if len(text) > yaml_nodes.MAX_NUMBER_CHARS and not isinstance(value, float):
        assert value == text  # kept as written, for the field to report


#: numbers as text: long, with a clock's colons, or odd (``²`` is a digit to ``isdigit``)
NUMBER_TEXTS = st.one_of(
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(1, 6000).map(lambda n: "9" * n + ":00:00"),
    st.integers(1, 400).map(lambda n: f"1.5e{'9' * n}"),
    st.text(alphabet="0123456789:.,-+ eE²٣x", max_size=40),
)
#: what the number fields may be given: huge and infinite numbers, and their text
NUMBERS = st.one_of(
    st.integers(0, 6000).map(lambda n: 10**n - 1),
    st.integers(0, 6000).map(lambda n: -(10**n)),
    st.floats(allow_nan=True, allow_infinity=True),
    NUMBER_TEXTS,
)


@settings(max_examples=300, deadline=None)
@given(value=NUMBERS)
def test_number_fields_give_a_bounded_value_or_their_own_error(value) -> None:
    ctx = field_base.Context(Path("n.md"), {}, [], {})
    for parse, low, high in [
        (field_base.seconds_value, 0, field_base.MAX_SECONDS),
        (lambda v: fields._duration(v, ctx, "duration"), 0, field_base.MAX_SECONDS),
        (lambda v: fields._positive_int(v, ctx, "season"), 0, 10**9),
    ]:
        try:
            got = parse(value)
        except field_base.FieldError as exc:
            assert len(str(exc)) < 300
            continue
        assert got is None or low <= got <= high
    try:
        released = fields._date(value, ctx, "date")
        assert released is None or isinstance(released.day, date)
    except field_base.FieldError as exc:
        assert len(str(exc)) < 300


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(NUMBER_TEXTS, st.text(max_size=60)))
def test_times_and_dates_as_text_read_or_raise_value_error(text: str) -> None:
    try:
        assert 0 <= parse_clock(text) < math.inf
    except ValueError as exc:
        assert "expected a time" in str(exc)
    try:
        assert isinstance(read_date(text).day, date)
    except ValueError as exc:
        assert len(str(exc)) < 200


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(NUMBER_TEXTS, st.text(max_size=60)))
def test_host_feed_values_read_within_bounds_or_not_at_all(text: str) -> None:
    seconds = hostfeed.parse_duration(text)
    assert seconds is None or 0 <= seconds <= field_base.MAX_SECONDS
    assert isinstance(hostfeed._pub_date(text), (date, type(None)))
    element = lxml.etree.fromstring(
        "<item><title>t</title><enclosure url='https://x.example/a.mp3'/></item>"
    )
    element.find("enclosure").set("length", text.replace("\x00", "") if text.isprintable() else "")
    enclosure = hostfeed._item(element).enclosure
    assert enclosure is not None and 0 <= enclosure.length < 10**13


@settings(max_examples=200, deadline=None)
@given(value=NUMBERS)
def test_config_limits_are_finite_positive_numbers_or_an_error(value) -> None:
    try:
        got = config_values.as_positive(value, "max_lines")
    except ValueError as exc:
        assert len(str(exc)) < 200
        return
    assert 0 < got < math.inf and int(got) >= 0


def crafted_mp3(frames: int) -> bytes:
    """An MP3 whose Xing header claims ``frames`` frames (1,152 samples each at 44.1 kHz)."""
    frame = bytearray(417)
    frame[0:4] = b"\xff\xfb\x90\x64"  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
    frame[36:48] = b"Xing" + (1).to_bytes(4, "big") + frames.to_bytes(4, "big")
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(frame) * 4


def test_a_local_audio_file_claiming_years_has_no_duration(tmp_path: Path, baseline) -> None:
    pytest.importorskip("mutagen")
    content = episode("title: Local audio", audio=False)
    make_show(tmp_path, {"n.md": content}, config=CONFIG + "media_dir: media\n")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "n.mp3").write_bytes(crafted_mp3(0xFFFFFFFF))
    run = run_build(tmp_path / "config" / "podcast.yaml", tmp_path / "dist")
    assert run.code == 0, run.stderr
    assert "n.mp3: warning: audio: cannot read the duration: the file claims" in run.stderr
    files = check_outputs(tmp_path / "dist")
    items = lxml.etree.fromstring(files["feed.xml"]).findall("channel/item")
    item = next(i for i in items if i.findtext("title") == "Local audio")
    assert item.find("enclosure") is not None
    assert item.find("{http://www.itunes.com/dtds/podcast-1.0.dtd}duration") is None
    assert_good_intact(files, baseline)
