"""The manual in ``docs/`` documents what the tool has: every command and each of its flags,
every config key and every problem kind; and the README's test command is the one CI runs."""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shlex
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT

from feedgen_pod.cli import parser
from feedgen_pod.commands import COMMANDS
from feedgen_pod.config import KEYS, load_config
from feedgen_pod.errors import ConfigError

DOCS = ROOT / "docs"
#: the calls that make a problem or a finding with a kind
MAKERS = {"Problem", "report", "warn", "_warn", "_problem", "Finding", "Break"}
KIND = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")


@cache
def pages() -> dict[str, str]:
    return {
        path.relative_to(DOCS).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(DOCS.rglob("*.md"))
    }


def _help(words: tuple[str, ...]) -> str:
    """``feedgen-pod WORDS --help`` as a user reads it (argparse's public output)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        parser().parse_args([*words, "--help"])
    return out.getvalue()


def _subcommands(words: tuple[str, ...]) -> list[str]:
    """The sub-commands a help page lists under its positional ``COMMAND``/``ACTION``."""
    text = _help(words)
    block = re.search(
        r"^positional arguments:\n  [A-Z]+\n((?:    .*\n|              .*\n)+)", text, re.M
    )
    return re.findall(r"^    ([a-z][\w-]*)", block.group(1), re.M) if block else []


@cache
def _commands() -> dict[str, str]:
    """Every command as users type it, nested ones included (``chapters embed``), with its
    help page."""
    found: dict[str, str] = {}
    todo = [(name,) for name in _subcommands(())]
    while todo:
        words = todo.pop()
        found[" ".join(words)] = _help(words)
        todo += [(*words, sub) for sub in _subcommands(words)]
    return found


def test_the_registry_is_what_the_parser_offers() -> None:
    assert set(COMMANDS) <= set(_commands())


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_and_each_of_its_flags_is_documented(name: str) -> None:
    """A command is documented by the pages that name it (``feedgen-pod build``); each of
    its flags is in one of them."""
    documenting = [text for text in pages().values() if f"feedgen-pod {name}" in text]
    assert documenting, f"no page under docs/ names `feedgen-pod {name}`"
    flags = set(re.findall(r"(?<![\w-])--[a-z][\w-]*", _commands()[name])) - {"--help"}
    missing = sorted(
        f for f in flags if not any(re.search(rf"(?<![\w-]){f}(?![\w-])", t) for t in documenting)
    )
    assert not missing, f"flags of {name} missing from its page: {missing}"


def _publish_keys(tmp_path: Path) -> list[str]:
    """The ``publish:`` keys, as the config's message for an unknown one lists them."""
    config = tmp_path / "podcast.yaml"
    base = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    config.write_text(base + "\npublish:\n  not_a_key: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(config)
    return re.split(r",\s*", str(info.value).split("unknown; use ", 1)[1].strip())


def test_every_config_key_has_a_row_in_a_table(tmp_path: Path) -> None:
    """In docs/configuration.md, or on the page of its topic."""
    text = "\n".join(pages().values())
    missing = [key for key in KEYS if f"| `{key}` |" not in text]
    publish = _publish_keys(tmp_path)
    assert "websub_hubs" in publish
    missing += [f"publish.{k}" for k in publish if f"| `publish.{k}` |" not in text]
    assert not missing, f"config keys no table under docs/ documents: {missing}"


def test_the_configuration_table_is_whole() -> None:
    """A paragraph inside a Markdown table ends it: every key row of the page sits in one
    table."""
    page = pages()["configuration.md"]
    table = page.split("| key | required | meaning |", 1)[1].split("\n\n", 1)[0]
    rows = [key for key in KEYS if f"| `{key}` |" in page]
    assert len(rows) > 20 and [key for key in rows if f"| `{key}` |" not in table] == []


def _kinds_in(path: Path) -> set[str]:
    kinds = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in MAKERS:
            continue
        values = [*node.args, *(k.value for k in node.keywords if k.arg == "kind")]
        kinds |= {
            v.value
            for v in values
            if isinstance(v, ast.Constant) and isinstance(v.value, str) and KIND.match(v.value)
        }
    return kinds


def test_every_problem_kind_is_documented() -> None:
    kinds = set().union(*(_kinds_in(p) for p in (ROOT / "feedgen_pod").rglob("*.py")))
    assert len(kinds) > 60  # the collector still finds them
    text = "\n".join(pages().values())
    missing = sorted(kind for kind in kinds if f"`{kind}`" not in text)
    assert not missing, f"problem kinds no page under docs/ documents: {missing}"


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"^(python -m pytest[^#\n]*?)\s+# run the tests$", readme, re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    runs = [shlex.split(line) for line in ci if line.lstrip().startswith("python -m pytest")]
    assert runs == [shlex.split(command)]


def test_the_readme_is_short_and_points_to_the_manual() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for target in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / target).is_file(), target


def test_every_page_the_nav_names_exists() -> None:
    """``mkdocs build --strict`` fails on a missing page; this says which, without MkDocs."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    named = re.findall(r":\s+(\S+\.md)\s*$", nav, re.M)
    assert named and [n for n in named if not (DOCS / n).is_file()] == []
