"""Golden files for a small episode in all four transcript formats, and the captions command.

The fixture episode holds the traps in small: four-way shared times, an untimed line, a time
that goes back, a long line, section headers, ``&``, ``<``, ``-->`` and non-ASCII text.
Set ``UPDATE_GOLDEN=1`` to rewrite ``tests/golden/transcripts/`` after an intended change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import srt
from conftest import ROOT
from transcript_rules import check_vtt, words_of

from feedgen_pod.cli import main
from feedgen_pod.config import load_config
from feedgen_pod.derive.episode import enrich
from feedgen_pod.formats import EPISODE_FORMATS
from feedgen_pod.formats.feedlinks import TRANSCRIPT_FILES
from feedgen_pod.load.episodes import load_episode
from feedgen_pod.model import Person

FIXTURE = ROOT / "tests" / "fixtures" / "transcripts" / "small-episode.md"
GOLDEN = ROOT / "tests" / "golden" / "transcripts"
PEOPLE = {
    "alexeygrigorev": Person("alexeygrigorev", "Alexey Grigorev", source=Path("a.md")),
    "pastorsoto": Person("pastorsoto", "Pastor Soto", source=Path("p.md")),
}


def _outputs() -> dict[str, bytes]:
    show, _ = load_config(ROOT / "config" / "podcast.yaml")
    problems: list = []
    episode = load_episode(FIXTURE, PEOPLE, problems, (PEOPLE["alexeygrigorev"],))
    assert episode is not None, problems
    episode = enrich(show, episode, problems)
    names = {name for name, _, _ in TRANSCRIPT_FILES}
    out = {}
    for fmt in EPISODE_FORMATS:
        for output in fmt(show, episode).outputs:
            name = output.path.rsplit("/", 1)[1]
            if name in names:
                out[name] = output.data
    return out


@pytest.mark.parametrize("name", [name for name, _, _ in TRANSCRIPT_FILES])
def test_small_episode_matches_golden(name):
    data = _outputs()[name]
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes(), f"{name} changed; UPDATE_GOLDEN=1 if intended"


def test_golden_vtt_is_valid_and_keeps_the_traps():
    data = (GOLDEN / "transcript.vtt").read_bytes()
    cues = check_vtt(data)
    text = data.decode("utf-8")
    assert "Q&amp;A about &lt;tags&gt; &amp; arrows --&gt; like that." in text.replace("\n", " ")
    assert "<v Pastor Soto>" in text and "日本語" in text
    assert "Welcome" not in text and "The long answer" not in text  # headers are not cues
    assert cues[0].start == 0 and cues[1].start > 0  # lines sharing 0:00 are spread
    page = (GOLDEN / "transcript.html").read_text("utf-8")
    assert "<h2>The long answer</h2>" in page  # chapters head the readable page


# --- feedgen-pod captions --------------------------------------------------------------------

RAW = "0:00 hi everyone welcome to\n0:02 our event & <stuff>\n0:05 see you --> soon\n"


@pytest.mark.parametrize("suffix", [".vtt", ".srt", ".json", ".html"])
def test_captions_command_writes_each_format(tmp_path, capsys, suffix):
    raw = tmp_path / "raw.txt"
    raw.write_text(RAW, encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    assert main(["captions", str(raw), "-o", str(out), "--duration", "9"]) == 0
    data = out.read_bytes()
    assert "wrote" in capsys.readouterr().out
    if suffix == ".vtt":
        cues = check_vtt(data)
        expected = [
            "hi",
            "everyone",
            "welcome",
            "to",
            "our",
            "event",
            "&",
            "<stuff>",
            "see",
            "you",
            "-->",
            "soon",
        ]
        assert words_of(c.text for c in cues) == expected
        assert cues[-1].end == 9
    elif suffix == ".srt":
        subs = list(srt.parse(data.decode("utf-8")))
        assert subs[0].start.total_seconds() == 0
    elif suffix == ".json":
        assert json.loads(data)["segments"][-1]["endTime"] == 9
    else:
        assert b"&lt;stuff&gt;" in data


def test_captions_command_errors_are_clean(tmp_path, capsys):
    raw = tmp_path / "raw.txt"
    raw.write_text(RAW, encoding="utf-8")
    assert main(["captions", str(raw), "-o", str(tmp_path / "x.doc")]) == 2
    assert "unknown output type" in capsys.readouterr().err
    assert main(["captions", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.vtt")]) == 1
    assert "cannot read" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("no stamps here\n", encoding="utf-8")
    assert main(["captions", str(empty), "-o", str(tmp_path / "x.vtt")]) == 1
    err = capsys.readouterr().err
    assert "no 'm:ss text' caption lines" in err and "empty.txt:1" in err
    assert not (tmp_path / "x.vtt").exists()
    with pytest.raises(SystemExit) as exc:
        main(["captions", str(raw)])
    assert exc.value.code == 2


def test_captions_command_converts_the_seeds(tmp_path, seeds):
    for path in sorted(seeds.glob("00[234]_*.txt")):
        out = tmp_path / f"{path.stem}.vtt"
        assert main(["captions", str(path), "-o", str(out)]) == 0
        cues = check_vtt(out.read_bytes())
        raw = [ln.split(" ", 1)[1] for ln in path.read_text("utf-8").splitlines() if " " in ln]
        assert words_of(c.text for c in cues) == words_of(raw)
        assert len(cues) < len(raw)  # fragments were merged
