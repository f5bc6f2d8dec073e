"""The build gives each episode file its own host feed item, whatever the files' order: two or
three files that claim one Anchor id, a draft sharing a published file's id, and a rebuild where
only the copy-pasting file changed. Read back from the built feed with feedparser."""

from __future__ import annotations

from pathlib import Path

import feedparser

from feedgen_pod.build import BuildOptions, BuildReport, build
from feedgen_pod.config import load_config

ANCHOR = "https://podcasters.spotify.com/pod/show/s/episodes/"

HOST_ITEM = """<item>
  <title>{title}</title>
  <link>{link}</link>
  <guid isPermaLink="false">{guid}</guid>
  <pubDate>{date}</pubDate>
  <enclosure url="https://media.example.org/{guid}.mp3" length="1000" type="audio/mpeg"/>
</item>
"""


def host_feed(items: list[dict[str, str]]) -> str:
    body = "".join(HOST_ITEM.format(**item) for item in items)
    return f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Host</title>\n{body}'\
        "</channel></rss>\n"  # fmt: skip


def episode_file(title: str, number: int, anchor: str, day: int) -> str:
    return (
        f"---\ntitle: {title}\nseason: 1\nepisode: {number}\n"
        f"ids:\n  anchor: {anchor}\ndateadded: 2024-03-{day:02d}\n---\nNotes.\n"
    )


def make_show(tmp_path: Path, files: dict[str, str], items: list[dict[str, str]]) -> Path:
    episodes = tmp_path / "episodes"
    episodes.mkdir()
    for name, text in files.items():
        (episodes / name).write_text(text)
    (tmp_path / "host.xml").write_text(host_feed(items))
    (tmp_path / "people").mkdir()
    config = tmp_path / "podcast.yaml"
    config.write_text(
        "title: Show\ndescription: A show.\nsite_url: https://example.org\n"
        "feed_url: https://example.org/feed.xml\nbase_url: https://example.org/files\n"
        "language: en\nauthor: Host\nowner_name: Host\nowner_email: host@example.org\n"
        "image: https://example.org/cover.jpg\ncategories: [Technology]\n"
        "episodes_dir: episodes\npeople_dir: people\naudio_feed: host.xml\n"
    )
    return config


def run(config: Path, out: Path, **options: object) -> tuple[BuildReport, dict[str, tuple]]:
    show, _ = load_config(config)
    report = build(show, BuildOptions(out=out, jobs=1, **options))
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    audio = {e.title: (e.enclosures[0].href, e.id) for e in parsed.entries}
    return report, audio


ITEMS = [
    {"title": "Alpha Talk", "link": ANCHOR + "Alpha-Talk-e1aaaaa", "guid": "alpha",
     "date": "Fri, 01 Mar 2024 12:00:00 GMT"},
    {"title": "Beta Talk", "link": ANCHOR + "Beta-Talk-e2bbbbb", "guid": "beta",
     "date": "Fri, 08 Mar 2024 12:00:00 GMT"},
    {"title": "Gamma Talk", "link": ANCHOR + "Gamma-Talk-e3ccccc", "guid": "gamma",
     "date": "Fri, 15 Mar 2024 12:00:00 GMT"},
]  # fmt: skip
ALPHA_ID = "Alpha-Talk-e1aaaaa"


def test_two_files_sharing_an_anchor_id_each_get_their_own_item(tmp_path: Path) -> None:
    """``a-beta.md`` sorts first and copy-pasted Alpha's id: it must not take Alpha's audio."""
    files = {
        "a-beta.md": episode_file("Beta Talk", 2, ALPHA_ID, 8),
        "b-alpha.md": episode_file("Alpha Talk", 1, ALPHA_ID, 1),
    }
    config = make_show(tmp_path, files, ITEMS[:2])
    report, audio = run(config, tmp_path / "dist")
    assert audio == {
        "Alpha Talk": ("https://media.example.org/alpha.mp3", "alpha"),
        "Beta Talk": ("https://media.example.org/beta.mp3", "beta"),
    }
    # the copied id is itself wrong data (it links to Alpha's page): the copying file is told
    assert [(Path(p.path).name, p.kind) for p in report.errors] == [("a-beta.md", "audio-id-clash")]


def test_three_files_one_id(tmp_path: Path) -> None:
    files = {
        f"{n}.md": episode_file(f"{name} Talk", n, ALPHA_ID, day)
        for n, name, day in ((3, "Gamma", 15), (1, "Alpha", 1), (2, "Beta", 8))
    }
    report, audio = run(make_show(tmp_path, files, ITEMS), tmp_path / "dist")
    assert {title: guid for title, (_, guid) in audio.items()} == {
        "Alpha Talk": "alpha",
        "Beta Talk": "beta",
        "Gamma Talk": "gamma",
    }
    assert sorted((Path(p.path).name, p.kind) for p in report.errors) == [
        ("2.md", "audio-id-clash"),
        ("3.md", "audio-id-clash"),
    ]


def test_a_shared_id_nothing_settles_is_an_error_naming_both_files(tmp_path: Path) -> None:
    """Neither title matches the one item: no file gets it on the id alone."""
    files = {
        "a.md": episode_file("Something Else", 1, ALPHA_ID, 20),
        "b.md": episode_file("Another Thing", 2, ALPHA_ID, 25),
    }
    report, audio = run(make_show(tmp_path, files, ITEMS[:1]), tmp_path / "dist")
    assert audio == {}
    clash = [p for p in report.errors if p.kind == "audio-id-clash"]
    assert clash and all("a.md" in p.message + p.path for p in clash)
    assert all("b.md" in p.message + p.path for p in clash)


def test_a_draft_sharing_an_id_with_a_published_file(tmp_path: Path) -> None:
    """Without --drafts the draft is not built and the published file keeps its item; with
    --drafts the draft gets its own (title) item and the published file still its own."""
    files = {
        "_alpha-draft.md": episode_file("Beta Talk", 2, ALPHA_ID, 8),
        "alpha.md": episode_file("Alpha Talk", 1, ALPHA_ID, 1),
    }
    config = make_show(tmp_path, files, ITEMS[:2])
    _, audio = run(config, tmp_path / "dist")
    assert audio == {"Alpha Talk": ("https://media.example.org/alpha.mp3", "alpha")}
    _, audio = run(config, tmp_path / "dist-drafts", drafts=True)
    assert audio["Alpha Talk"][1] == "alpha" and audio["Beta Talk"][1] == "beta"


def test_a_rebuild_where_only_the_copying_file_changed(tmp_path: Path) -> None:
    """The unchanged file's claim comes from the cache, and still counts."""
    files = {
        "a-beta.md": episode_file("Beta Talk", 2, "Beta-Talk-e2bbbbb", 8),
        "b-alpha.md": episode_file("Alpha Talk", 1, ALPHA_ID, 1),
    }
    config = make_show(tmp_path, files, ITEMS[:2])
    out = tmp_path / "dist"
    run(config, out)
    (tmp_path / "episodes" / "a-beta.md").write_text(episode_file("Beta Talk", 2, ALPHA_ID, 8))
    report, audio = run(config, out)
    assert report.built == 1 and report.reused == 1
    assert audio["Alpha Talk"][1] == "alpha" and audio["Beta Talk"][1] == "beta"
