"""The rules strict caption consumers apply, checked by us (webvtt-py is too lenient alone).

``check_vtt`` returns the parsed cues (start, end, voice, plain text) so tests can compare
them with the source; every rule it checks is a reason a browser, webvtt-parser or ffmpeg
would drop or misread a cue.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

JS = Path(__file__).resolve().parent / "js"
_TIME = r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})"
TIMING = re.compile(rf"^{_TIME} --> {_TIME}$")
VOICE = re.compile(r"^<v ([^<>&\n]|&amp;|&lt;|&gt;)+>")
ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")
SENTENCE_PUNCT = re.compile(r"[.!?]$")


@dataclass(frozen=True)
class ParsedCue:
    start: float
    end: float
    voice: str | None
    text: str  # unescaped, lines joined by "\n"


def _seconds(groups: tuple[str, ...]) -> float:
    h, m, s, ms = (int(g) for g in groups)
    return h * 3600 + m * 60 + s + ms / 1000


_ESCAPES = {"amp": "&", "lt": "<", "gt": ">"}


def unescape(text: str) -> str:
    return re.sub(r"&(amp|lt|gt);", lambda m: _ESCAPES[m.group(1)], text)


def check_vtt(data: bytes) -> list[ParsedCue]:
    """Parse our WebVTT strictly; AssertionError names the first rule broken."""
    text = data.decode("utf-8")
    assert "\r" not in text, "CR in file"
    assert text.endswith("\n"), "no final newline"
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT", f"bad header {blocks[0]!r}"
    cues: list[ParsedCue] = []
    for block in blocks[1:]:
        lines = block.split("\n")
        timing = TIMING.match(lines[0])
        assert timing, f"bad timing line {lines[0]!r}"
        start, end = _seconds(timing.groups()[:4]), _seconds(timing.groups()[4:])
        assert start < end, f"cue does not move forward: {lines[0]}"
        if cues:
            assert start >= cues[-1].start, f"cue goes backwards: {lines[0]}"
            assert start >= cues[-1].end, f"cue overlaps the one before: {lines[0]}"
        payload = lines[1:]
        assert payload, f"cue without text at {lines[0]}"
        voice = None
        first = VOICE.match(payload[0])
        if first:
            voice = unescape(first.group(0)[3:-1])
            payload = [payload[0][first.end() :], *payload[1:]]
        for line in payload:
            assert line.strip(), f"blank line in cue at {lines[0]}"
            assert "-->" not in line, f"--> in cue text at {lines[0]}"
            assert "<" not in line and ">" not in line, f"unescaped < or > in {line!r}"
            assert not ENTITY.search(line), f"unescaped & in {line!r}"
        cues.append(ParsedCue(start, end, voice, unescape("\n".join(payload))))
    return cues


def words_of(texts) -> list[str]:
    return [w for t in texts for w in t.split()]


def node_validator() -> Path | None:
    """The webvtt-parser script when node and ``npm install`` in tests/js are there."""
    if shutil.which("node") is None or not (JS / "node_modules" / "webvtt-parser").is_dir():
        return None
    return JS / "validate_vtt.js"


def webvtt_parser(paths: list[Path]) -> dict[str, dict]:
    """Run the W3C webvtt-parser on files: {path: {errors, cues}}."""
    script = node_validator()
    assert script is not None
    result = subprocess.run(
        ["node", str(script), *map(str, paths)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


SEGMENT_SCHEMA = {
    "type": "object",
    "required": ["version", "segments"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
        "segments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["startTime", "endTime", "body"],
                "additionalProperties": False,
                "properties": {
                    "speaker": {"type": "string", "minLength": 1},
                    "startTime": {"type": "number", "minimum": 0},
                    "endTime": {"type": "number", "minimum": 0},
                    "body": {"type": "string", "minLength": 1},
                },
            },
        },
    },
}
