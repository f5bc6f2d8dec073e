"""The loader on the real archive and on each of its traps, with messages that point at lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS

from feedgen_pod.config import load_config
from feedgen_pod.errors import Problem
from feedgen_pod.load.episodes import load_episode
from feedgen_pod.load.people import load_people, profile_url
from feedgen_pod.load.show import discover, load_episodes
from feedgen_pod.model import Episode, Person

ALEXEY = Person("alexeygrigorev", "Alexey Grigorev", source=Path("alexeygrigorev.md"))

CONFIG = """\
title: T
description: D
site_url: https://example.org
feed_url: https://example.org/feed.xml
base_url: https://example.org
language: en
author: A
owner_name: O
owner_email: o@example.org
image: https://example.org/c.jpg
categories: [Technology]
hosts: [alexeygrigorev]
episodes_dir: {episodes}
people_dir: {people}
"""


def load(tmp_path: Path, front: str, body: str = "", name: str = "ep.md"):
    path = tmp_path / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    problems: list[Problem] = []
    people = {"alexeygrigorev": ALEXEY}
    return load_episode(path, people, problems, hosts=(ALEXEY,)), problems


def corpus_show(tmp_path: Path):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (CI always has it)")
    config = tmp_path / "podcast.yaml"
    config.write_text(
        CONFIG.format(episodes=CORPUS / "episodes", people=CORPUS / "people"), encoding="utf-8"
    )
    return load_config(config)[0]


# --- the real archive ---------------------------------------------------------------------


def test_every_corpus_episode_loads_and_drafts_are_skipped(tmp_path: Path) -> None:
    show = corpus_show(tmp_path)
    sources = discover(show)
    problems: list[Problem] = list(sources.problems)
    episodes = list(load_episodes(sources, problems))
    files = sorted((CORPUS / "episodes").glob("*.md"))
    drafts = [f for f in files if f.name.startswith("_")]
    assert drafts and len(episodes) == len(files) - len(drafts)
    assert not [p for p in problems if p.is_error], [str(p) for p in problems if p.is_error]
    for episode in episodes:
        assert episode.title and episode.season and episode.number is not None
        assert episode.anchor_id and episode.youtube_id
        assert episode.duration is None or episode.duration > 0
    # the name.md.md file is an episode like any other
    assert "mentoring-in-tech-how-to-find-and-become-a-mentor" in {e.slug for e in episodes}
    with_drafts = discover(show, drafts=True)
    assert len(list(load_episodes(with_drafts, []))) == len(files)


def test_corpus_transcripts_have_ordered_interpolated_times(tmp_path: Path) -> None:
    show = corpus_show(tmp_path)
    sources = discover(show)
    untimed = 0
    for episode in load_episodes(sources, []):
        lines = episode.lines
        untimed += sum(not ln.timed for ln in lines)
        assert all(ln.start >= 0 for ln in lines)
        assert all(ln.speaker is None or not ln.speaker.endswith(":") for ln in lines)
    assert untimed > 100, "the archive has many lines without sec; they are interpolated"


# --- traps ----------------------------------------------------------------------------------


def test_base_60_time_and_sec_wins(tmp_path: Path) -> None:
    front = (
        "title: X\n"
        "transcript:\n"
        "- line: a\n  time: 0:33\n"  # stays the string '0:33'
        "- line: b\n  time: 1:11\n"  # YAML 1.1 reads 71
        "- line: c\n  sec: 200\n  time: 3:00\n"  # disagree: sec wins
    )
    episode, problems = load(tmp_path, front)
    assert [ln.start for ln in episode.lines] == [33.0, 71.0, 200.0]
    (warning,) = [p for p in problems if p.field == "transcript.2.time"]
    assert "sec is used" in warning.message and warning.line == 10 and not warning.is_error


def test_missing_sec_is_interpolated_between_neighbours(tmp_path: Path) -> None:
    front = (
        "title: X\ntranscript:\n"
        "- line: aaaa\n  sec: 0\n"
        "- line: bbbb\n"
        "- line: cccc\n"
        "- line: dddd\n  sec: 30\n"
    )
    episode, _ = load(tmp_path, front)
    starts = [ln.start for ln in episode.lines]
    assert starts[0] == 0 and starts[3] == 30
    assert 0 < starts[1] < starts[2] < 30
    assert [ln.timed for ln in episode.lines] == [True, False, False, True]


def test_backwards_sec_is_kept_and_reported_with_its_line(tmp_path: Path) -> None:
    front = "title: X\ntranscript:\n- line: a\n  sec: 50\n- line: b\n  sec: 40\n"
    episode, problems = load(tmp_path, front)
    assert [ln.start for ln in episode.lines] == [50, 40]
    (warning,) = [p for p in problems if "goes back" in p.message]
    assert warning.line == 6 and warning.path.endswith("ep.md")


def test_who_with_colon_missing_or_holding_dialogue(tmp_path: Path) -> None:
    front = (
        "title: X\ntranscript:\n"
        "- line: hi\n  who: 'Alexey:'\n  sec: 0\n"
        "- line: no speaker\n  sec: 1\n"
        "- line: rest\n  who: So what I wanted to say is this\n  sec: 2\n"
    )
    episode, problems = load(tmp_path, front)
    lines = episode.lines
    assert lines[0].speaker == "Alexey Grigorev"
    assert lines[1].speaker is None
    assert lines[2].speaker is None and lines[2].text.startswith("So what I wanted")
    assert any(p.field == "transcript.2.who" and "dialogue" in p.message for p in problems)


def test_linkedin_full_url_or_handle() -> None:
    assert profile_url("linkedin", "https://www.linkedin.com/in/pastorsoto/") == (
        "https://www.linkedin.com/in/pastorsoto/"
    )
    assert profile_url("linkedin", "pastorsoto") == "https://www.linkedin.com/in/pastorsoto/"
    assert profile_url("linkedin", "TODO") is None


def test_linkedin_full_url_in_a_profile_file(tmp_path: Path) -> None:
    people = tmp_path / "people"
    people.mkdir()
    (people / "p.md").write_text(
        "---\ntitle: P Q\nlinkedin: https://www.linkedin.com/in/pq/\ngithub: pq\n---\nBio.\n"
    )
    person = load_people(people, [])["p"]
    assert person.linkedin_url == "https://www.linkedin.com/in/pq/"
    assert person.github_url == "https://github.com/pq" and person.bio == "Bio."


def test_todo_links_are_dropped_with_a_warning(tmp_path: Path) -> None:
    front = (
        "title: X\nlinks:\n"
        "  youtube: https://www.youtube.com/watch?v=abcdefghijk\n"
        "  spotify: TODO\n"
    )
    episode, problems = load(tmp_path, front)
    assert "spotify" not in episode.links and episode.youtube_id == "abcdefghijk"
    (warning,) = [p for p in problems if p.field == "links.spotify"]
    assert warning.line == 5 and not warning.is_error


def test_anchor_suffix_after_the_episode_id(tmp_path: Path) -> None:
    url = "https://anchor.fm/x/episodes/Translating---Dan-Becker-eqk0b1/a-a4maq87"
    episode, _ = load(tmp_path, f"title: X\nlinks:\n  anchor: {url}\n")
    assert episode.anchor_id == "eqk0b1"
    episode, _ = load(tmp_path, "title: X\nids:\n  anchor: Some-Title-e2rc2bj/a-abl5fth\n")
    assert episode.anchor_id == "e2rc2bj"


def test_triple_dash_inside_a_value_is_not_a_delimiter(tmp_path: Path) -> None:
    front = (
        "title: X\nids:\n  anchor: Public-Learning-Career---Pastor-Soto-e376e66\n"
        "description: |\n  one\n  ---\n  two\n"
    )
    episode, problems = load(tmp_path, front, "Body text.\n")
    assert episode.anchor_id == "e376e66"
    assert episode.description == "one\n---\ntwo"
    assert episode.notes.strip() == "Body text." and episode.notes_line == 10
    assert not [p for p in problems if p.is_error]


def test_duplicate_season_and_episode_both_build_and_are_reported(tmp_path: Path) -> None:
    from feedgen_pod.formats.rss import feed_xml
    from feedgen_pod.model import Audio, AudioSource, Enclosure

    front = "title: {t}\nseason: 2\nepisode: 4\ndateadded: 2024-01-0{d}\n"
    a, _ = load(tmp_path, front.format(t="A", d=1), name="a.md")
    b, _ = load(tmp_path, front.format(t="B", d=2), name="b.md")
    assert (a.season, a.number) == (b.season, b.number) == (2, 4)
    show = corpus_show_like(tmp_path)
    audio = Audio(Enclosure("https://m.example/x.mp3", 1), AudioSource.FRONT_MATTER)
    data, problems = feed_xml(show, [_with(b, audio), _with(a, audio)])
    assert data.count(b"<itunes:episode>4</itunes:episode>") == 2
    (dup,) = [p for p in problems if "season 2 episode 4" in p.message]
    assert dup.path.endswith("a.md") and "b.md" in dup.message and not dup.is_error


def _with(episode: Episode, audio) -> Episode:
    from dataclasses import replace

    return replace(episode, audio=audio)


def corpus_show_like(tmp_path: Path):
    config = tmp_path / "podcast.yaml"
    config.write_text(CONFIG.format(episodes=tmp_path, people=tmp_path), encoding="utf-8")
    return load_config(config)[0]


# --- broken files: path, line, field, what was expected ------------------------------------


def test_yaml_that_does_not_parse_names_path_and_line(tmp_path: Path) -> None:
    episode, problems = load(tmp_path, "title: X\nseason: [1\nepisode: 2\n")
    assert episode is None
    (error,) = problems
    assert error.is_error and error.path.endswith("ep.md") and error.line in (3, 4)
    assert str(error).startswith(f"{error.path}:{error.line}: error: ")


def test_no_front_matter_is_reported_on_line_1(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text("Just text\n")
    problems: list[Problem] = []
    assert load_episode(path, {}, problems) is None
    assert problems[0].line == 1 and "no front matter" in problems[0].message


def test_wrong_type_names_the_field_and_line_and_the_rest_builds(tmp_path: Path) -> None:
    episode, problems = load(tmp_path, "title: X\nseason: first\nepisode: 2\n")
    assert episode is not None and episode.season is None and episode.number == 2
    (error,) = [p for p in problems if p.field == "season"]
    assert error.line == 3 and "whole number" in error.message
    assert str(error) == f"{error.path}:3: error: season: {error.message}"


def test_no_title_skips_the_episode(tmp_path: Path) -> None:
    episode, problems = load(tmp_path, "season: 1\n")
    assert episode is None and any(p.field == "title" and p.is_error for p in problems)


def test_a_line_repeated_by_the_next_is_dropped_with_a_warning(tmp_path) -> None:
    """The archive has untimed, speaker-less copies of the next line; captions must not
    say everything twice, but two people saying the same words are both kept."""
    from feedgen_pod.load.episodes import load_episode

    path = tmp_path / "dup.md"
    path.write_text(
        "---\ntitle: Dup\ntranscript:\n"
        "- header: Intro\n- line: Hello there.\n"
        "- header: Intro\n- line: Hello there.\n  sec: 5\n  who: Alexey\n"
        "- line: Bye.\n  sec: 9\n  who: Alexey\n- line: Bye.\n  sec: 9\n  who: Uri\n---\n",
        encoding="utf-8",
    )
    problems: list = []
    episode = load_episode(path, {}, problems)
    assert [(ln.text, ln.speaker, ln.start) for ln in episode.lines] == [
        ("Hello there.", "Alexey", 5.0),
        ("Bye.", "Alexey", 9.0),
        ("Bye.", "Uri", 9.0),
    ]
    headers = [e for e in episode.transcript if not hasattr(e, "text")]
    assert len(headers) == 1
    [warning] = [p for p in problems if "repeats" in p.message]
    assert warning.line == 5


def test_many_repeated_lines_are_one_warning(tmp_path) -> None:
    """An episode where every line is doubled gets one warning for all the copies, not one each
    (the corpus has one with 90 of them: a wall of identical warnings hides the others)."""
    from feedgen_pod.load.episodes import load_episode

    path = tmp_path / "dup.md"
    entries = "".join(
        f"- line: Line {n}.\n- line: Line {n}.\n  sec: {n * 10}\n  who: Alexey\n" for n in range(3)
    )
    path.write_text(f"---\ntitle: Dup\ntranscript:\n{entries}---\n", encoding="utf-8")
    problems: list = []
    episode = load_episode(path, {}, problems)
    assert [ln.text for ln in episode.lines] == ["Line 0.", "Line 1.", "Line 2."]
    [warning] = [p for p in problems if "repeat" in p.message]
    assert warning.line == 4
    assert "this and 2 more lines" in warning.message


@pytest.mark.parametrize(
    ("written", "flag"),
    [("true", True), ("'yes'", True), ("'no'", False), ("clean", False), ("''", None)],
)
def test_an_episodes_explicit_flag(tmp_path: Path, written: str, flag: bool | None) -> None:
    episode, problems = load(tmp_path, f"title: T\nexplicit: {written}\n")
    assert episode is not None and episode.explicit is flag
    assert not problems


def test_an_explicit_flag_that_is_no_flag_is_reported_and_the_shows_applies(tmp_path) -> None:
    episode, problems = load(tmp_path, "title: T\nexplicit: maybe\n")
    assert episode is not None and episode.explicit is None
    assert [(p.line, p.field, p.kind) for p in problems] == [(3, "explicit", "field-invalid")]
    assert "true or false" in problems[0].message
