"""The CLI: exit codes, and config errors that name the key (every command and flag is
documented: ``test_docs.py``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from feedgen_pod.cli import EXIT_USAGE, main
from feedgen_pod.config import KEYS, load_config, podcast_guid
from feedgen_pod.errors import ConfigError


def test_python_dash_m_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "feedgen_pod", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("feedgen-pod ")


def test_podcast_guid_matches_the_spec_example() -> None:
    # the example in the Podcasting 2.0 namespace documentation
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )


def _config(tmp_path: Path, text: str) -> Path:
    base = (ROOT / "config" / "podcast.yaml").read_text(encoding="utf-8")
    path = tmp_path / "podcast.yaml"
    path.write_text(base + text, encoding="utf-8")
    return path


def test_unknown_config_key_names_key_and_line(tmp_path: Path) -> None:
    path = _config(tmp_path, "\ntitel: Typo\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "titel" in message
    line = len(path.read_text().splitlines())
    assert re.search(rf"podcast\.yaml:{line}:", message), message


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("\ncategories: [Tech]\n", "categories"),
        ("\ncategories: ['Business/Cooking']\n", "categories"),
        ("\nexplicit: maybe\n", "explicit"),
        ("\ntype: weekly\n", "type"),
        ("\nfeed_url: http://example.com/feed.xml\n", "feed_url"),
        ("\nowner_email: nobody\n", "owner_email"),
    ],
)
def test_wrong_config_values_name_the_key(tmp_path: Path, extra: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_config(tmp_path, extra))
    assert f" {key}: " in str(info.value)


def test_config_error_exits_2_and_writes_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "dist"
    code = main(
        ["build", "--config", str(_config(tmp_path, "\ntype: weekly\n")), "--out", str(out)]
    )
    assert code == EXIT_USAGE
    assert not out.exists()
    err = capsys.readouterr().err
    assert "type" in err
    assert err.startswith(str(tmp_path)) and err.count("error:") == 1, err  # as the manual shows


def test_missing_config_is_a_clear_error(tmp_path: Path, capsys) -> None:
    code = main(["build", "--config", str(tmp_path / "nope.yaml"), "--out", str(tmp_path)])
    assert code == EXIT_USAGE
    assert "--config" in capsys.readouterr().err


def test_every_config_key_has_help() -> None:
    assert all(spec.help for spec in KEYS.values())


def test_a_command_imports_only_its_own_module() -> None:
    """``build`` does not pay for the link checker's and publisher's HTTP stack."""
    code = (
        "import sys; from feedgen_pod.cli import parser; parser(['build']); "
        "print(sorted(m for m in ('requests', 'urllib3', 'PIL', 'feedgen_pod.commands.publish') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
