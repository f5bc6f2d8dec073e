"""Hostile transcripts and show notes: every format stays well-formed and loses no words.

VTT, SRT, JSON and HTML transcripts are parsed by their consumers; the feed's
``content:encoded`` is parsed as HTML and must hold no script, event handler or
``javascript:`` link.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import webvtt
from hostile_kit import check_outputs, episode, episode_files, make_show, run_build, unsafe_url

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def build(tmp_path: Path, content: str, **kw) -> tuple:
    run = run_build(make_show(tmp_path, {"t.md": content}, **kw), tmp_path / "dist")
    return run, check_outputs(tmp_path / "dist")


def transcript(*entries: str) -> str:
    return "transcript:\n" + "\n".join(entries)


def vtt_text(data: bytes) -> str:
    """All cue text of a VTT file, voice tags dropped and entities decoded."""
    cues = webvtt.from_string(data.decode())
    raw = " ".join(c.raw_text if hasattr(c, "raw_text") else c.text for c in cues)
    return html.unescape(re.sub(r"</?[a-z][^>]*>", "", raw.replace("\n", " ")))


def json_strings(value: object) -> list[str]:
    """Every string in a JSON document, depth first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    "entries",
    [
        "",
        "- header: Only a header\n- header: And another",
        "- line: ''\n  sec: 1",
        "- just text\n- [a, list]\n- line: [a, list]\n  sec: 1",
    ],
    ids=["no-lines", "only-headers", "empty-line", "wrong-entries"],
)
def test_transcripts_without_spoken_lines_build(tmp_path: Path, entries: str) -> None:
    run, files = build(tmp_path, episode("title: Empty", transcript=transcript(entries)))
    assert run.code in (0, 1), run.stderr
    assert episode_files(files, "t")
    assert b"<title>Empty</title>" in files["feed.xml"]


def test_float_times_are_kept_to_the_millisecond(tmp_path: Path) -> None:
    entries = transcript("- line: First words.\n  sec: 1.5", "- line: Second words.\n  sec: 7.25")
    run, files = build(tmp_path, episode("title: Floats", transcript=entries))
    assert run.code == 0, run.stderr
    assert "00:00:01.500 --> 00:00:07.250" in files["episodes/t/transcript.vtt"].decode()


@pytest.mark.parametrize(
    ("sec", "phrase"),
    [
        ("-5", "0 to 100 hours"),
        ("1.0e+12", "0 to 100 hours"),
        (".nan", "0 to 100 hours"),
        ("'-1:00'", "time like"),
        ("abc", "time like"),
        ("[1, 2]", "seconds"),
    ],
)
def test_bad_times_are_reported_and_interpolated(tmp_path: Path, sec: str, phrase: str) -> None:
    entries = transcript(
        "- line: Before.\n  sec: 10",
        f"- line: The bad one.\n  sec: {sec}",
        "- line: After.\n  sec: 30",
    )
    run, files = build(tmp_path, episode("title: Bad times", transcript=entries))
    assert run.code == 1, run.stderr
    assert re.search(rf"t\.md:11: error: transcript\.1\.sec: .*{re.escape(phrase)}", run.stderr), (
        run.stderr
    )
    vtt = files["episodes/t/transcript.vtt"].decode()
    assert "The bad one." in vtt
    starts = [c.start_in_seconds for c in webvtt.from_string(vtt)]
    assert starts == sorted(starts) and max(c.end_in_seconds for c in webvtt.from_string(vtt)) < 1e5


def test_times_past_the_audio_are_warned(tmp_path: Path) -> None:
    entries = transcript("- line: Early.\n  sec: 1", "- line: Far too late.\n  sec: 5000")
    content = episode(
        "title: Late\naudio:\n  url: https://cdn.example.org/a.mp3\n  length: 1\n  duration: 600",
        transcript=entries,
    )
    run, files = build(tmp_path, content)
    line = content.splitlines().index("- line: Far too late.") + 1
    late = rf"t\.md:{line}: warning: transcript: 1 transcript line starts after the audio ends"
    assert re.search(late, run.stderr), run.stderr
    assert "Far too late." in files["episodes/t/transcript.vtt"].decode()


def test_sec_and_time_that_disagree_use_sec_and_warn(tmp_path: Path) -> None:
    entries = transcript("- line: Disagreeing.\n  sec: 10\n  time: '5:00'")
    run, files = build(tmp_path, episode("title: Disagree", transcript=entries))
    assert re.search(r"t\.md:\d+: warning: transcript\.0\.time: .*disagrees", run.stderr)
    assert "00:00:10.000 -->" in files["episodes/t/transcript.vtt"].decode()


def test_a_twenty_thousand_word_line(tmp_path: Path) -> None:
    line = " ".join(f"word{i}" for i in range(20_000))
    entries = transcript(f"- line: {line}\n  sec: 0\n  who: Host", "- line: Next.\n  sec: 60")
    run, files = build(tmp_path, episode("title: Long line", transcript=entries))
    assert run.code in (0, 1), run.stderr
    vtt = files["episodes/t/transcript.vtt"].decode()
    assert words(vtt_text(vtt.encode()))[:20_000] == line.split()
    cues = webvtt.from_string(vtt)
    assert max(len(c.text) for c in cues) < 500, "a cue must be split to fit a screen"
    doc = json.loads(files["episodes/t/transcript.json"])
    assert line in " ".join(segment["body"] for segment in doc["segments"])


INJECTIONS = [
    "a --> b",
    "-->",
    "</script><script>alert(1)</script>",
    "<![CDATA[ x ]]> y",
    "]]>",
    "fish & chips &amp; &lt;",
    "<v Evil>not a voice",
    "<b>bold</b> <i>it</i> <c.red>class</c>",
    "**bold** [click](javascript:alert(1)) ![img](x onerror=alert(1))",
    '<img src=x onerror="alert(1)"> <a href="javascript:alert(1)">x</a>',
    "00:00:01.000 --> 00:00:02.000",
    "1",
    "WEBVTT",
    "NOTE this is not a note",
    "{{ template }} {% raw %} ${x}",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_text_stays_text_in_every_transcript(tmp_path: Path, text: str) -> None:
    quoted = json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar
    entries = transcript(
        f"- line: {quoted}\n  sec: 1\n  who: {quoted}",
        f"- header: {quoted}",
        "- line: After.\n  sec: 20\n  who: Host",
    )
    run, files = build(tmp_path, episode(f"title: {quoted}", transcript=entries))
    assert run.code in (0, 1), run.stderr
    mine = episode_files(files, "t")
    assert text in vtt_text(mine["transcript.vtt"])
    assert text in " ".join(json_strings(json.loads(mine["transcript.json"])))
    page = lxml.html.document_fromstring(mine["transcript.html"].decode())
    assert text.split("\n")[0] in page.text_content()
    srt_text = mine["transcript.srt"].decode()
    assert "After." in srt_text
    items = lxml.etree.fromstring(files["feed.xml"]).findall(".//item")
    assert text in [i.findtext("title") for i in items]


NOTES = """\
Intro paragraph.

<script>alert('notes')</script>

<img src="x.jpg" onerror="alert(1)" onload=alert(2)>

<a href="javascript:alert(1)">js link</a> <a href=" JaVaScRiPt:alert(1)">spaced</a>
[md link](javascript:alert(1)) [vb](vbscript:msgbox(1)) [data](data:text/html,<script>x</script>)

<iframe src="https://evil.example/"></iframe><object data="x"></object><embed src="x">

<style>body { display: none }</style><form action="https://evil.example"><input></form>

<svg onload="alert(1)"><circle/></svg> <math><mi xlink:href="javascript:alert(1)">x</mi></math>

<div style="background:url(javascript:alert(1))">styled</div>

Text with ]]> and <![CDATA[ inside, & an ampersand.

[good link](https://example.org/ok){:target="_blank"}
"""


def test_show_notes_are_sanitised_in_the_feed(tmp_path: Path) -> None:
    run, files = build(tmp_path, episode("title: Notes", body=NOTES))
    assert run.code in (0, 1), run.stderr
    items = lxml.etree.fromstring(files["feed.xml"]).findall(".//item")
    (item,) = [i for i in items if i.findtext("title") == "Notes"]
    encoded = item.findtext(CONTENT)
    assert encoded, "content:encoded is missing"
    fragment = lxml.html.fragment_fromstring(encoded, create_parent="div")
    tags = {el.tag for el in fragment.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "iframe", "object", "embed", "style", "form", "input", "svg"}
    for el in fragment.iter():
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on"), (attr, value)
            assert attr != "style", value
            if attr in ("href", "src") or attr.endswith("href"):
                assert not unsafe_url(value), (attr, value)
                assert not value.strip().lower().startswith("data:"), (attr, value)
    text = fragment.text_content()
    assert "Intro paragraph." in text and "]]>" in text and "& an ampersand" in text
    assert 'href="https://example.org/ok"' in encoded
    assert "{:target" not in text


def test_intro_with_markup_is_plain_text_in_the_description(tmp_path: Path) -> None:
    intro = "<script>alert(1)</script> <b onclick=x>Hello</b> & goodbye ]]>"
    _, files = build(tmp_path, episode(f"title: Intro\nintro: {json.dumps(intro)}"))
    items = lxml.etree.fromstring(files["feed.xml"]).findall(".//item")
    (item,) = [i for i in items if i.findtext("title") == "Intro"]
    description = item.findtext("description") or ""
    rendered = lxml.html.fragment_fromstring(description or "<p></p>", create_parent="div")
    assert not [el for el in rendered.iter("script")], description
    assert not any(a.startswith("on") for el in rendered.iter() for a in el.attrib), description
    assert "goodbye" in description


def test_hostile_chapter_titles_stay_inside_their_chapter(tmp_path: Path) -> None:
    headers = ["Intro\n[CHAPTER]\nSTART=0 = ; # \\ end", "Second --> </script> ]]>", "Third"]
    entries = transcript(
        *(
            f"- header: {json.dumps(h)}\n- line: Words {i}.\n  sec: {i * 30}"
            for i, h in enumerate(headers)
        )
    )
    run, files = build(tmp_path, episode("title: Chapters", transcript=entries))
    assert run.code in (0, 1), run.stderr
    mine = episode_files(files, "t")
    chapters = json.loads(mine["chapters.json"])["chapters"]
    assert [c["title"] for c in chapters] == [" ".join(h.split()) for h in headers]
    assert mine["chapters.ffmeta"].decode().splitlines().count("[CHAPTER]") == 3


def test_control_characters_in_timestamp_lists_and_raw_captions(tmp_path: Path) -> None:
    entries = transcript(*(f"- line: Words {i}.\n  sec: {i * 30}" for i in range(3)))
    content = episode("title: Lists\ntimestamps: ts.txt\ncaptions: raw.txt", transcript=entries)
    make_show(tmp_path, {"t.md": content})
    (tmp_path / "episodes" / "ts.txt").write_bytes(
        b"0:00 Intro \x00 bad\x1b\n0:30 Middle </script> ]]> & -->\n1:00 End\n"
    )
    (tmp_path / "episodes" / "raw.txt").write_bytes(b"0:00 words \x00 0\x1b\n0:30 words 1\n")
    run = run_build(tmp_path / "config" / "podcast.yaml", tmp_path / "dist")
    assert run.code == 1, run.stderr
    assert re.search(r"ts\.txt:1: error: control characters U\+0000, U\+001B removed", run.stderr)
    assert re.search(r"raw\.txt:1: error: captions: control characters", run.stderr)
    files = check_outputs(tmp_path / "dist")
    titles = [c["title"] for c in json.loads(files["episodes/t/chapters.json"])["chapters"]]
    assert "Middle </script> ]]> & -->" in titles


@pytest.mark.parametrize("ext", ["vtt", "srt", "json", "html"])
def test_the_captions_command_on_hostile_raw_captions(tmp_path: Path, ext: str) -> None:
    from hostile_kit import check_file

    from feedgen_pod.cli import main

    raw = tmp_path / "raw.txt"
    raw.write_bytes(
        b"0:01 hello --> there </script> & <v x>\n0:00 backwards\n99999:59 not a stamp\n"
        b"\x00\x1b 0:05 ctrl\n1:02:03 ok \xf0\x9f\x8e\x99 \xd9\x85\n"
    )
    out = tmp_path / f"out.{ext}"
    assert main(["captions", str(raw), "-o", str(out)]) == 1
    check_file(out.name, out.read_bytes())
    assert b"\x00" not in out.read_bytes()


def test_a_speaker_that_is_not_a_name(tmp_path: Path) -> None:
    entries = transcript("- line: Hello.\n  sec: 1\n  who: {name: x}", "- line: Bye.\n  sec: 9")
    run, files = build(tmp_path, episode("title: Who", transcript=entries))
    assert run.code == 1
    assert re.search(r"t\.md:\d+: error: transcript\.0\.who: expected a name, got dict", run.stderr)
    assert "{" not in files["episodes/t/transcript.vtt"].decode()


@pytest.mark.parametrize("who", ["---", "a--", "x -"])
def test_a_speaker_ending_in_dashes_does_not_make_an_arrow(tmp_path: Path, who: str) -> None:
    """Found by the property suite: ``<v --->`` holds ``-->`` and ends the cue for parsers."""
    entries = transcript(f"- line: Hello.\n  sec: 1\n  who: '{who}'", "- line: Bye.\n  sec: 9")
    run, files = build(tmp_path, episode("title: Dashes", transcript=entries))
    assert run.code in (0, 1), run.stderr
    vtt = files["episodes/t/transcript.vtt"].decode()
    assert "Hello." in vtt_text(vtt.encode())
