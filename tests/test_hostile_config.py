"""A broken config is exit 2 with the file, line and key, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_kit import CONFIG, make_show, run_build

from feedgen_pod.config import KEYS

REQUIRED = sorted(k for k, spec in KEYS.items() if spec.required)


def config_without(key: str) -> str:
    return "\n".join(ln for ln in CONFIG.splitlines() if not ln.startswith(f"{key}:")) + "\n"


def config_with(line: str) -> str:
    key = line.split(":", 1)[0]
    return config_without(key) + line + "\n"


def assert_config_error(tmp_path: Path, config: str | bytes, *words: str) -> str:
    root = tmp_path / "show"
    make_show(root, {}, config="")
    path = root / "config" / "podcast.yaml"
    path.write_bytes(config.encode() if isinstance(config, str) else config)
    run = run_build(path, tmp_path / "dist")
    assert run.code == 2, run.stderr
    assert not (tmp_path / "dist").exists(), "a config error must write nothing"
    message = run.stderr.strip()
    assert "podcast.yaml" in message
    for word in words:
        assert word.lower() in message.lower(), message
    return message


@pytest.mark.parametrize("key", REQUIRED)
def test_a_missing_required_key_is_named(tmp_path: Path, key: str) -> None:
    assert_config_error(tmp_path, config_without(key), f"{key}: missing")


WRONG = [
    ("title: [a, b]", "title", "text"),
    ("title: ''", "title", "text"),
    ("explicit: maybe", "explicit", "true or false"),
    ("type: weekly", "type", "episodic"),
    ("categories: Cooking", "categories", "Apple"),
    ("categories: [Technology/Knitting]", "categories", "subcategory"),
    ("categories: 5", "categories", "list"),
    ("categories: []", "categories", "list"),
    ("language: english please", "language", "language code"),
    ("owner_email: nobody", "owner_email", "email"),
    ("hosts: [{a: 1}]", "hosts", "people keys"),
    ("hosts: ['../../etc/passwd']", "hosts", "people key"),
    ("transcripts: [1, 2]", "transcripts", "mapping"),
    ("transcripts: {max_line_length: -1}", "transcripts", "positive"),
    ("chapters: {min_seconds: soon}", "chapters", "positive"),
    ("episode_url: '{site_url}/{slug.__class__}'", "episode_url", "only"),
    ("episode_url: '{site_url}/{0}/{slug}'", "episode_url", "only"),
    ("episode_url: '{site_url}/{slug}/{nope}'", "episode_url", "only"),
    ("episode_url: '{site_url}/{slug!r}'", "episode_url", "only"),
    ("episode_url: '{site_url}/{slug'", "episode_url", "template"),
    ("episode_url: 'javascript:alert({slug})'", "episode_url", "https"),
    ("episode_url: '{site_url}/podcast.html'", "episode_url", "{slug}"),
    ("locked: sometimes", "locked", "true or false"),
    ("medium: radio", "medium", "podcast"),
    ("colour: blue", "colour", "unknown key"),
]


@pytest.mark.parametrize(("line", "key", "phrase"), WRONG, ids=[w[0][:40] for w in WRONG])
def test_a_wrong_value_names_the_key_and_line(
    tmp_path: Path, line: str, key: str, phrase: str
) -> None:
    config = config_with(line)
    number = config.splitlines().index(line) + 1 if key not in ("transcripts", "chapters") else None
    where = f"podcast.yaml:{number}: error: {key}" if number else f"error: {key}"
    message = assert_config_error(tmp_path, config, phrase)
    assert where in message or f"{key}" in message, message


NOT_HTTPS = [
    "site_url: http://example.org",
    "feed_url: http://example.org/feed.xml",
    "base_url: ftp://example.org/podcast",
    "image: http://example.org/cover.jpg",
    "image: javascript:alert(1)",
    "image: file:///etc/passwd",
    "feed_url: https://",
    "feed_url: 'https://exa mple.org/feed.xml'",
    "site_url: '//example.org'",
]


@pytest.mark.parametrize("line", NOT_HTTPS)
def test_urls_must_be_https(tmp_path: Path, line: str) -> None:
    key = line.split(":", 1)[0]
    config = config_with(line)
    number = config.splitlines().index(line) + 1
    assert_config_error(tmp_path, config, f"podcast.yaml:{number}: error: {key}", "https")


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        ("", "mapping"),
        ("- a\n- b\n", "mapping"),
        ("just text\n", "mapping"),
        ("title: [unclosed\n", "does not parse"),
        ("title: !!python/object/apply:os.system [echo]\n", "does not parse"),
        (b"title: Caf\xe9\n", "not UTF-8"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"a{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 10)}]\n"
                for i in range(7)
            ),
            "alias bomb",
        ),
        ("title: A\ntitle: B\n" + CONFIG.split("\n", 1)[1], "duplicate"),
    ],
    ids=["empty", "list", "scalar", "syntax", "python-tag", "latin-1", "alias-bomb", "dup"],
)
def test_an_unreadable_config_is_a_message(tmp_path: Path, content, phrase: str) -> None:
    assert_config_error(tmp_path, content, phrase)


def test_a_missing_config_says_how_to_point_to_one(tmp_path: Path) -> None:
    run = run_build(tmp_path / "nope.yaml", tmp_path / "dist")
    assert run.code == 2 and "--config" in run.stderr
    assert not (tmp_path / "dist").exists()


def test_a_huge_config_is_refused_unread(tmp_path: Path) -> None:
    root = tmp_path / "show"
    config = make_show(root, {})
    with open(config, "r+b") as handle:
        handle.truncate(50 * 1024 * 1024)
    run = run_build(config, tmp_path / "dist")
    assert run.code == 2 and "MB" in run.stderr
