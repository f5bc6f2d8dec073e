"""Front matter read by the one-walk builder and by PyYAML's own constructor agree.

The loader builds values, field lines and repairs in one walk, and keeps PyYAML's generic
constructor (with two walks for lines and repairs) for what the walk does not take: anchors,
merge keys, explicit tags. Both must give the same document for anything both can read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_frontmatter_transcript import front_matter

from feedgen_pod.load import frontmatter, yaml_nodes


def read(text: str, general: bool, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        if general:  # an "anchor" everywhere sends every document down the general path
            patch.setattr(yaml_nodes, "_ANCHOR", re.compile(""))
        errors: list[tuple[int, str]] = []
        try:
            result = yaml_nodes.load_nodes(text, 2, errors)
        except frontmatter.FrontMatterError as exc:
            result = ("error", exc.message, exc.line)
        return result, errors


def test_every_real_file_reads_the_same_by_both_paths(corpus: Path, seeds: Path, monkeypatch):
    paths = [
        *sorted((corpus / "episodes").glob("*.md")),
        *sorted((corpus / "people").glob("*.md")),
        *sorted(seeds.glob("*.md")),
    ]
    read_any = 0
    for path in paths:
        text = front_matter(path)
        if text is None:
            continue
        walked = read(text, False, monkeypatch)
        assert walked == read(text, True, monkeypatch), path.name
        read_any += walked[0][0] != "error"
    assert read_any >= 30


@pytest.mark.parametrize(
    "text",
    [
        "title: a\ntitle: b\n",  # duplicate key: a warning with its line
        'title: "a\\0b"\n',  # an escape that makes a control character: repaired, reported
        "date: 2024-13-45\n",  # a date YAML cannot build stays text for the field's check
        "date: 2024-01-02\nn: 12\nf: 1.5\nb: yes\nz: ~\nt: 1:11\n",
        "links:\n  youtube: x\n  youtube: y\nlist:\n- a\n- b: 1\n  b: 2\n",
        "deep:\n  a:\n    b:\n      c: 1\n",
        "'quoted key': 1\n? complex\n: value\n",
        "title: [unclosed\n",
    ],
)
def test_edge_cases_read_the_same_by_both_paths(text: str, monkeypatch) -> None:
    assert read(text, False, monkeypatch) == read(text, True, monkeypatch)
