"""Front matter as other generators write it: YAML closed by ``...``, TOML, JSON, a BOM, every
Markdown extension, nested folders, Hugo's case-insensitive keys, YAML 1.1's number traps."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.errors import Severity
from feedgen_pod.load import frontmatter
from feedgen_pod.load.episodes import load_episode
from feedgen_pod.load.frontmatter_formats import json_lines, toml_lines
from feedgen_pod.load.show import episode_files
from feedgen_pod.load.site_fields import SiteContext
from feedgen_pod.model import UNKNOWN_LENGTH, FieldRule, SiteLayout


def test_yaml_closed_by_three_dots() -> None:
    doc = frontmatter.parse("---\ntitle: A\nepisode: 3\n...\nBody\n")
    assert doc.data == {"title": "A", "episode": 3} and doc.body == "Body\n"
    assert doc.lines == {"title": 2, "episode": 3} and doc.body_line == 5


def test_toml_front_matter_with_lines() -> None:
    text = '+++\ntitle = "A"\ndate = 2016-08-25T04:09:58-05:00\n[params]\n  x = 1\n+++\nBody'
    doc = frontmatter.parse(text)
    assert doc.syntax == "toml" and doc.body == "Body" and doc.body_line == 7
    assert doc.data["date"] == datetime(2016, 8, 25, 4, 9, 58, tzinfo=timezone(timedelta(hours=-5)))
    assert doc.lines == {"title": 2, "date": 3, "params": 4, "params.x": 5}


def test_toml_that_does_not_parse_names_its_line() -> None:
    with pytest.raises(frontmatter.FrontMatterError) as caught:
        frontmatter.parse('+++\ntitle = "A"\nbad = = 1\n+++\n')
    assert caught.value.line == 3


def test_json_front_matter_ends_where_the_object_closes() -> None:
    text = '{\n  "title": "A",\n  "notes": "}\\n",\n  "tags": ["x",\n    "y"]\n}\nBody\n'
    doc = frontmatter.parse(text)
    assert doc.syntax == "json" and doc.body == "Body\n" and doc.body_line == 7
    assert doc.lines == {"title": 2, "notes": 3, "tags": 4, "tags.0": 4, "tags.1": 5}
    one_line = frontmatter.parse('{"title": "B"}\nBody')
    assert one_line.data == {"title": "B"} and one_line.body == "Body"


_KEYS = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_KEYS, st.integers() | st.text(max_size=5), min_size=1, max_size=6))
def test_json_and_toml_lines_find_every_key(data: dict) -> None:
    pretty = json.dumps(data, indent=2)
    lines = json_lines(pretty)
    assert set(lines) == set(data)
    for key, line in lines.items():
        assert f'"{key}"' in pretty.split("\n")[line - 1]
    toml = "\n".join(f"{key} = {json.dumps(value)}" for key, value in data.items())
    assert toml_lines(toml, 1) == {key: n for n, key in enumerate(data, start=1)}


def test_yaml_number_traps_keep_their_text() -> None:
    doc = frontmatter.parse("---\nepisode: 010\nduration: 1:08:22\nother: 018\nn: 12\n---\n")
    assert doc.data["episode"] == 8 and doc.data["other"] == "018"
    assert doc.raw == {"episode": "010", "duration": "1:08:22"}


def _site(tmp_path: Path, preset: str, **changes) -> SiteContext:
    layout = SiteLayout(preset=preset, media_url="https://media.example.org/", **changes)
    return SiteContext(layout, "https://example.org", tmp_path / "content" / "episode")


def _load(tmp_path: Path, name: str, text: str, site: SiteContext, raw: bytes | None = None):
    path = site.episodes_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw if raw is not None else text.encode())
    problems: list = []
    return load_episode(path, {}, problems, site=site), problems


def test_hugo_keys_are_case_insensitive_and_yaml_traps_read_as_written(tmp_path) -> None:
    site = _site(tmp_path, "castanet")
    text = (
        "---\nTitle: Ten\nDescription: About ten\nEpisode: 010\nPodcast_File: ten.mp3\n"
        "podcast_bytes: 123\npodcast_duration: 1:08:22\ndate: 2016-03-22\n---\nNotes\n"
    )
    episode, problems = _load(tmp_path, "ten.md", text, site)
    assert episode is not None, problems
    assert (episode.title, episode.description, episode.number) == ("Ten", "About ten", 10)
    assert episode.declared_duration == 4102
    assert episode.audio.enclosure.url == "https://media.example.org/ten.mp3"
    assert episode.audio.guid == "https://media.example.org/ten.mp3"
    assert episode.field_lines["episode"] == 4
    assert not [p for p in problems if p.severity is not Severity.INFO], problems


def test_a_byte_order_mark_is_read(tmp_path) -> None:
    site = _site(tmp_path, "castanet")
    raw = b'\xef\xbb\xbf+++\ntitle = "B"\npodcast_file = "b.mp3"\n+++\n'
    episode, problems = _load(tmp_path, "b.md", "", site, raw)
    assert episode is not None and episode.title == "B", problems


def test_page_bundles_and_nested_folders_and_every_extension(tmp_path) -> None:
    root = tmp_path / "content" / "episode"
    names = ["a.md", "b.markdown", "c.mkd", "d.mkdn", "e.mkdown", "deep/f.md", "g/index.md"]
    for name in [*names, "_index.md", "x.txt", "_drafts/h.md"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("---\ntitle: x\n---\n")
    found = [p.relative_to(root).as_posix() for p in episode_files(root, nested=True)]
    assert found == sorted(names)
    # this project's own layout: the folder's *.md (a leading _ is a draft there)
    assert [p.name for p in episode_files(root, nested=False)] == ["_index.md", "a.md"]


def test_a_bundle_page_is_named_by_its_folder(tmp_path) -> None:
    site = _site(tmp_path, "castanet")
    text = '+++\ntitle = "G"\npodcast_file = "g.mp3"\n+++\n'
    episode, _ = _load(tmp_path, "my-show/index.md", text, site)
    assert episode.slug == "my-show" and episode.permalink == "/episode/my-show/"


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ("draft: true", "draft: true"),
        ("published: false", "published: false"),
        ("date: 2999-01-01", "in the future"),
    ],
)
def test_drafts_are_left_out_unless_asked_for(tmp_path, fields, why) -> None:
    site = _site(tmp_path, "flat", permalink="/:slug/")
    site = SiteContext(site.layout, site.site_url, site.episodes_dir, datetime.now(timezone.utc))
    text = f"---\ntitle: D\nfile: d.mp3\n{fields}\n---\n"
    episode, problems = _load(tmp_path, "d.md", text, site)
    assert episode is None and why in problems[-1].message
    drafts = SiteContext(site.layout, site.site_url, site.episodes_dir, site.now, drafts=True)
    episode, _ = _load(tmp_path, "d.md", text, drafts)
    assert episode is not None


def test_units_and_the_fields_mapping(tmp_path) -> None:
    rows = (
        ("audio.url", FieldRule(("mp3",))),
        ("audio.length", FieldRule(("mb",), unit="MB")),
        ("duration", FieldRule(("minutes",), unit="minutes")),
        ("date", FieldRule(("datum",), format="%d.%m.%Y")),
    )
    site = _site(tmp_path, "flat", fields=rows)
    text = "---\ntitle: U\nmp3: u.mp3\nmb: 55.6\nminutes: 90\ndatum: 06.05.2024\n---\n"
    episode, problems = _load(tmp_path, "u.md", text, site)
    assert not problems
    assert episode.audio.enclosure.length == 55_600_000
    assert episode.declared_duration == 5400 and episode.published.isoformat() == "2024-05-06"
    assert episode.audio.enclosure.url == "https://media.example.org/u.mp3"


def test_a_file_name_without_media_url_says_what_to_set(tmp_path) -> None:
    site = SiteContext(SiteLayout(preset="flat"), "https://example.org", tmp_path / "eps")
    episode, problems = _load(tmp_path, "n.md", "---\ntitle: N\nfile: n.mp3\n---\n", site)
    assert episode is None
    assert any("set media_url" in p.message and p.line == 3 for p in problems), problems


def test_a_near_miss_of_a_preset_key_is_reported_and_theme_fields_are_not(tmp_path) -> None:
    site = _site(tmp_path, "castanet")
    text = (
        '+++\ntitle = "M"\npodcast_file = "m.mp3"\npodcast_bytess = "1"\nlayout = "x"\n'
        'aliases = ["/m"]\ncategories = ["a"]\ntags = ["t"]\nauthor = "x"\nsponsors = ["s"]\n+++\n'
    )
    episode, problems = _load(tmp_path, "m.md", text, site)
    assert episode is not None
    unknown = [p for p in problems if p.kind == "field-unknown"]
    assert [(p.field, p.line) for p in unknown] == [("podcast_bytess", 4)]
    assert "podcast_bytes" in unknown[0].message


def test_a_scheduled_episode_is_built_once_its_day_has_come(tmp_path, monkeypatch) -> None:
    from feedgen_pod.build import run
    from feedgen_pod.cli import main

    folder = tmp_path / "eps"
    folder.mkdir()
    (folder / "s.md").write_text(
        "---\ntitle: S\nfile: https://m.example.org/s.mp3\nlength: 5\ndate: 2030-01-01\n---\n"
    )
    (folder / "t.md").write_text(
        "---\ntitle: T\nfile: https://m.example.org/t.mp3\nlength: 5\ndate: 2020-01-01\n---\n"
    )
    config = tmp_path / "c.yaml"
    config.write_text(
        "title: S\ndescription: d\nsite_url: https://example.org\n"
        "feed_url: https://example.org/feed.xml\nbase_url: https://example.org/f\n"
        "language: en\nauthor: a\nowner_name: a\nowner_email: a@example.org\n"
        "image: https://example.org/c.jpg\ncategories: [Technology]\n"
        "preset: flat\nepisodes_dir: eps\n"
    )
    out = tmp_path / "dist"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for year, seen in ((2025, False), (2031, True)):  # the cache is kept between the two

        class Clock(datetime):
            @classmethod
            def now(cls, tz=None, year=year):
                return datetime(year, 1, 1, tzinfo=tz)

        monkeypatch.setattr(run, "datetime", Clock)
        main(["build", "--config", str(config), "--out", str(out)])
        assert (b"s.mp3" in (out / "feed.xml").read_bytes()) is seen


@pytest.mark.parametrize(
    "text",
    ['{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "+++\na = " + "[" * 100_000 + "\n+++\n"],
)
def test_nesting_too_deep_is_a_message_not_a_crash(text: str) -> None:
    with pytest.raises(frontmatter.FrontMatterError, match=r"nested too deeply|does not parse"):
        frontmatter.parse(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_after_plus_or_brace_is_read_or_refused_with_a_line(body: str) -> None:
    for text in ("+++\n" + body, "{" + body):
        try:
            frontmatter.parse(text)
        except frontmatter.FrontMatterError as exc:
            assert exc.line is None or exc.line >= 1


@pytest.mark.parametrize("size", ["1e999999999", "-5", "NaN", "lots", "99999999999999999"])
def test_a_size_out_of_sense_is_reported_and_the_episode_still_builds(tmp_path, size) -> None:
    site = _site(tmp_path, "flat", permalink="/:slug/")
    text = f"---\ntitle: S\nfile: s.mp3\nlength: '{size}'\n---\n"
    episode, problems = _load(tmp_path, "s.md", text, site)
    # left to the audio resolver: the media file, the sizes file, else 0 with a warning
    assert episode is not None and episode.audio.enclosure.length == UNKNOWN_LENGTH
    assert any(p.field == "length" and p.line == 4 for p in problems), problems
