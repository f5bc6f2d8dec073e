"""Coverage-guided fuzzing (atheris/libFuzzer) of the loader and every writer, end to end.

Each input becomes one episode file next to a known-good one; the whole show is built through
the CLI and every output is parsed by its consumer (``tests/hostile_kit.check_outputs``). A
crash is: an exception out of ``main`` (a traceback), an exit code other than 0 or 1, an output
that does not parse, or a change to the good episode's files.

Inputs that start with ``---`` are used as the file as they are (seed with real episode files);
others drive a structured generator (front matter fields, transcript entries, notes) so the
fuzzer reaches the formats, not only the YAML parser.

    pip install atheris
    python fuzz/fuzz_build.py -max_total_time=600 -max_len=16384 /tmp/fuzz-corpus
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

with atheris.instrument_imports(include=["feedgen_pod"]):
    import feedgen_pod.build
    import feedgen_pod.cli
    import feedgen_pod.commands.build
    import feedgen_pod.formats  # noqa: F401  (registers and instruments every format)

import hostile_kit  # noqa: E402

ROOT = Path(tempfile.mkdtemp(prefix="feedgen-fuzz-"))
CONFIG = hostile_kit.make_show(ROOT, {})
BASELINE: dict[str, bytes] = {}


def text(fdp: atheris.FuzzedDataProvider, limit: int = 60) -> str:
    parts = []
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        if fdp.ConsumeBool():
            parts.append(fdp.PickValueInList(hostile_kit.HOSTILE_TEXTS))
        else:
            parts.append(fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, limit)))
    return "".join(parts)


def scalar(fdp: atheris.FuzzedDataProvider) -> str:
    """A YAML value: quoted text, a number, a time, a flow collection, or raw text."""
    choice = fdp.ConsumeIntInRange(0, 7)
    if choice == 0:
        return '"' + text(fdp).replace("\\", "\\\\").replace('"', '\\"') + '"'
    if choice == 1:
        return str(fdp.ConsumeIntInRange(-10, 10**7))
    if choice == 2:
        return repr(fdp.ConsumeRegularFloat())
    if choice == 3:
        return f"{fdp.ConsumeIntInRange(0, 99)}:{fdp.ConsumeIntInRange(0, 99):02d}"
    if choice == 4:
        return "[" + ", ".join(scalar(fdp) for _ in range(fdp.ConsumeIntInRange(0, 3))) + "]"
    if choice == 5:
        return "{a: " + scalar(fdp) + "}"
    if choice == 6:
        return fdp.PickValueInList(
            ["null", "true", "~", "''", ".nan", ".inf", "-.inf", "2024-02-30"]
        )
    return text(fdp, 30).replace("\n", " ")


SPECIAL = ["null", "true", "~", "''", ".nan", ".inf", "-.inf", "2024-02-30", "&a x", "*a"]
KEYS = [
    "title",
    "short",
    "season",
    "episode",
    "guests",
    "image",
    "intro",
    "description",
    "topics",
    "keywords",
    "date",
    "dateadded",
    "duration",
    "links",
    "ids",
    "guid",
    "context",
]


def side_file(fdp: atheris.FuzzedDataProvider, name: str) -> None:
    """A timestamp list or raw captions file: ``m:ss text`` lines, some broken."""
    lines = []
    for _ in range(fdp.ConsumeIntInRange(0, 8)):
        if fdp.ConsumeBool():
            lines.append(f"{scalar(fdp)} {text(fdp, 30)}")
        else:
            stamp = f"{fdp.ConsumeIntInRange(0, 200)}:{fdp.ConsumeIntInRange(0, 99):02d}"
            lines.append(f"{stamp} {text(fdp, 30)}")
    (ROOT / "episodes" / name).write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))


def structured(fdp: atheris.FuzzedDataProvider) -> bytes:
    lines = ["---", "title: " + scalar(fdp)]
    if fdp.ConsumeBool():
        side_file(fdp, "fuzz-ts.txt")
        lines.append("timestamps: fuzz-ts.txt")
    if fdp.ConsumeBool():
        side_file(fdp, "fuzz-raw.txt")
        lines.append("captions: fuzz-raw.txt")
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        lines.append(f"{fdp.PickValueInList(KEYS)}: {scalar(fdp)}")
    lines += ["audio:", "  url: https://cdn.example.org/f.mp3", "  length: 10"]
    if fdp.ConsumeBool():
        lines.append(f"  duration: {scalar(fdp)}")
    lines.append("transcript:")
    for _ in range(fdp.ConsumeIntInRange(0, 12)):
        if fdp.ConsumeIntInRange(0, 5) == 0:
            lines.append(f"- header: {scalar(fdp)}")
            continue
        lines.append(f"- line: {scalar(fdp)}")
        for key in ("sec", "time", "who"):
            if fdp.ConsumeBool():
                lines.append(f"  {key}: {scalar(fdp)}")
    lines.append("---")
    lines.append(text(fdp, 200))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def one_input(data: bytes) -> None:
    raw = data.startswith(b"---")
    content = data if raw else structured(atheris.FuzzedDataProvider(data))
    (ROOT / "episodes" / "fuzz.md").write_bytes(content)
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    run = hostile_kit.run_build(CONFIG, dist)
    if run.code not in (0, 1):
        raise AssertionError(f"exit {run.code}: {run.stderr}")
    files = hostile_kit.check_outputs(dist)
    good = hostile_kit.episode_files(files, hostile_kit.GOOD_SLUG)
    if good != BASELINE:
        raise AssertionError("the good episode's outputs changed")


def main() -> None:
    (ROOT / "episodes" / "fuzz.md").unlink(missing_ok=True)
    run = hostile_kit.run_build(CONFIG, ROOT / "dist")
    assert run.code == 0, run.stderr
    BASELINE.update(hostile_kit.episode_files(hostile_kit.check_outputs(ROOT / "dist"), "good"))
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
