"""``feedgen-pod init`` on small made-up sites: which generator and preset it recognises, what it
reads from the site's settings, what it leaves as a TODO, and that it never replaces a config or
touches a site file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedgen_pod import cli
from feedgen_pod.config import default_config_path, read_config
from feedgen_pod.init import detect_convention, detect_generator, make_plan, render


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


CASTANET_EPISODE = """+++
title = "Episode {n}"
date = "2024-01-0{n}T10:00:00Z"
podcast_file = "show-{n}.mp3"
podcast_bytes = "1234"
podcast_duration = "1:08:22"
+++
Notes.
"""

HUGO_TOML = """baseURL = "https://example.org/"
languageCode = "en-us"
title = "Hugo Show"
[permalinks]
  episode = "/:filename/"
[params]
media_prefix = "https://media.example.org/files/"
  [params.feed]
    itunes_summary = "A show made with Hugo."
    itunes_author = "Ann Author"
    itunes_owner_name = "Ann Owner"
    itunes_owner_email = "ann@example.org"
    itunes_image = "https://example.org/cover.jpg"
    itunes_top_category = "Technology"
    itunes_first_sub_category = "Software How-To"
"""


@pytest.fixture
def hugo_site(tmp_path: Path) -> Path:
    files = {"hugo.toml": HUGO_TOML, "content/episode/_index.md": "---\ntitle: Episodes\n---\n"}
    files.update({f"content/episode/ep{n}.md": CASTANET_EPISODE.format(n=n) for n in (1, 2, 3)})
    files["content/about.md"] = "---\ntitle: About\n---\nAbout us.\n"
    return write(tmp_path, files)


def test_hugo_castanet_site(hugo_site: Path):
    plan = make_plan(hugo_site)
    assert plan.generator.name == "hugo"
    assert plan.convention.preset == "castanet"
    assert plan.convention.matched == 3
    values = {k: e.value for k, e in plan.entries.items()}
    assert values["episodes_dir"] == "content/episode"
    assert values["content_dir"] == "content"
    assert values["media_url"] == "https://media.example.org/files/"
    # Castanet's feed is Hugo's RSS of the episodes' section
    assert values["feed_url"] == "https://example.org/episode/index.xml"
    assert values["site_url"] == values["page_base_url"] == "https://example.org"
    assert values["permalink"] == "/:filename/"
    assert values["language"] == "en-us"
    assert values["owner_email"] == "ann@example.org"
    # Apple no longer lists "Software How-To": the category stays, the subcategory goes
    assert values["categories"] == ["Technology"]
    assert plan.ready


def test_hugo_config_default_folder_and_case_insensitive_keys(tmp_path: Path):
    write(
        tmp_path,
        {
            "config/_default/hugo.toml": 'baseURL = "https://d.example/"\nTitle = "Folder Show"\n',
            "config/_default/params.toml": 'Media_Prefix = "https://cdn.example/"\n',
            "content/shows/a.md": CASTANET_EPISODE.format(n=1),
        },
    )
    plan = make_plan(tmp_path)
    assert plan.generator.name == "hugo"
    assert plan.generator.evidence == ("config/_default/",)
    assert plan.entries["title"].value == "Folder Show"
    assert plan.entries["media_url"].value == "https://cdn.example/"
    assert plan.entries["media_url"].source == "config/_default/params.toml: params.media_prefix"
    assert plan.entries["feed_url"].value == "https://d.example/shows/index.xml"


JEKYLL_CONFIG = """title: Jekyll Show
url: "https://jekyll.example"
baseurl: "/pod"
timezone: Europe/Berlin
permalink: /ep/:title
podcast_description: "Talk about things."
podcast_author: "Jo"
podcast_owner: "Jo Owner"
podcast_email: "jo@jekyll.example"
podcast_album_art: "/img/art.png"
podcast_category_one: "Technology"
podcast_category_two: "Education"
podcast_subcategory_one: "How To"
"""

JEKYLL_POST = """---
title: "#0{n} - A post"
date: 2024-02-0{n}
podcast_link: https://cdn.jekyll.example/{n}.mp3
podcast_length: 1000
podcast_duration: "10:00"
---
Body.
"""

JEKYLL_FEED = """---
layout: null
permalink: /podcast
---
<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<atom:link href="{{ site.url }}{{ site.baseurl }}/podcast.xml" rel="self" />
</channel></rss>
"""


@pytest.fixture
def jekyll_site(tmp_path: Path) -> Path:
    files = {"_config.yml": JEKYLL_CONFIG, "_pages/podcast.xml": JEKYLL_FEED}
    files.update({f"_posts/2024-02-0{n}-post.markdown": JEKYLL_POST.format(n=n) for n in (1, 2)})
    return write(tmp_path, files)


def test_jekyll_podcast_site(jekyll_site: Path):
    plan = make_plan(jekyll_site)
    values = {k: e.value for k, e in plan.entries.items()}
    assert plan.generator.name == "jekyll"
    assert values["preset"] == "jekyll-podcast"
    assert values["episodes_dir"] == "_posts"
    assert values["site_url"] == "https://jekyll.example/pod"
    # the self link of the site's own feed template, its Liquid filled from _config.yml
    assert values["feed_url"] == "https://jekyll.example/pod/podcast.xml"
    assert plan.entries["feed_url"].source == "_pages/podcast.xml: atom:link rel=self"
    assert values["image"] == "https://jekyll.example/pod/img/art.png"
    assert values["timezone"] == "Europe/Berlin"
    assert values["permalink"] == "/ep/:title"
    # the subcategory goes under the category Apple lists it in
    assert values["categories"] == ["Technology", "Education/How To"]


def test_octopod_site(tmp_path: Path):
    post = "---\ntitle: Ep\nexplicit: 'no'\naudio:\n  mp3: 1.mp3\n  ogg: 1.ogg\n---\nHi\n"
    write(
        tmp_path,
        {
            "_config.yml": "title: Octo\nurl: https://octo.example\nemail: o@octo.example\n"
            "author: Octo Author\nitunes_categories: [Technology]\nexplicit: 'no'\n",
            "_posts/2016-01-01-episode1.md": post,
        },
    )
    plan = make_plan(tmp_path)
    values = {k: e.value for k, e in plan.entries.items()}
    assert values["preset"] == "octopod"
    assert values["media_url"] == "https://octo.example/episodes/"
    assert values["feed_url"] == "https://octo.example/episodes.mp3.rss"
    assert values["explicit"] is False
    assert values["categories"] == ["Technology"]


def test_astropod_site(tmp_path: Path):
    settings = {
        "name": "Astro Show",
        "description": "Made with Astropod.",
        "link": "http://astro.example",
        "language": "es",
        "cover": "/cover.jpg",
        "author": "Ana",
        "owner": "Ana Owner",
        "email": "ana@astro.example",
        "category": ["Religion & Spirituality"],
        "explicit": False,
    }
    episode = "---\ntitle: One\naudioUrl: /audio/1.mp3\npubDate: Oct 05 2007\nsize: 25.0\n---\n"
    write(
        tmp_path,
        {
            ".astropod/astropod.config.json": json.dumps(settings),
            "astro.config.mjs": "export default {}\n",
            "src/content/config.ts": "export const collections = {}\n",
            "src/content/episode/one.md": episode,
        },
    )
    plan = make_plan(tmp_path)
    values = {k: e.value for k, e in plan.entries.items()}
    assert plan.generator.label == "Astro (Astropod)"
    assert values["preset"] == "astropod"
    assert values["episodes_dir"] == "src/content/episode"
    # links and guids keep the site's http://; the show's own URLs must be https
    assert values["page_base_url"] == "http://astro.example"
    assert values["media_url"] == "http://astro.example"
    assert values["site_url"] == "https://astro.example"
    assert values["image"] == "https://astro.example/cover.jpg"
    assert any(n.startswith("site_url: the site says http://astro.example") for n in plan.notes)
    assert values["language"] == "es"


def test_eleventy_site(tmp_path: Path):
    config = 'module.exports = () => ({ dir: { input: "src", data: "../_data" } })\n'
    podcast = {
        "title": "Eleventy Show",
        "description": "Hand-made fields.",
        "language": "en",
        "url": "https://eleventy.example",
        "feedPath": "https://eleventy.example/feed.xml",
        "fileLocation": "https://media.eleventy.example/",
        "image": "https://eleventy.example/art.png",
        "author": "Ed",
        "owner": {"name": "Ed Owner", "email": "ed@eleventy.example"},
        "category": "Society & Culture",
    }
    episode = '---\ntitle: "One"\nguid: "x-1"\nfileName: one.mp3\nlength: 100\n---\nNotes\n'
    write(
        tmp_path,
        {
            "eleventy.config.js": config,
            "_data/podcast.json": json.dumps(podcast),
            "_data/nav.yml": "- title: Home\n  url: /\n",
            "src/episodes/1.md": episode,
            "src/episodes/bonus/b1.md": episode.replace("one", "bonus"),
            "src/about.md": "---\ntitle: About\n---\n",
        },
    )
    plan = make_plan(tmp_path)
    values = {k: e.value for k, e in plan.entries.items()}
    assert plan.generator.name == "eleventy"
    assert values["preset"] == "flat"
    assert values["episodes_dir"] == "src/episodes"
    assert values["content_dir"] == "src"
    assert values["media_url"] == "https://media.eleventy.example/"
    assert values["feed_url"] == "https://eleventy.example/feed.xml"
    assert values["owner_email"] == "ed@eleventy.example"
    assert values["categories"] == ["Society & Culture"]
    assert plan.entries["title"].source == "_data/podcast.json: podcast.title"


def test_no_generator_no_episodes_is_all_todo(tmp_path: Path):
    write(tmp_path, {"notes/readme.md": "# nothing here\n"})
    plan = make_plan(tmp_path)
    assert plan.generator is None
    assert plan.convention.preset is None
    assert not plan.ready
    assert {"title", "feed_url", "preset", "episodes_dir"} <= set(plan.todo)
    text = render(plan)
    assert "# TODO: not found in the site's files. The show's name." in text
    assert "\n# title: My Podcast\n" in text


def test_detect_generator_markers(tmp_path: Path):
    assert detect_generator(tmp_path) is None
    write(tmp_path, {".eleventy.js": "module.exports = {}\n"})
    assert detect_generator(tmp_path).name == "eleventy"


def test_convention_prefers_the_most_files_and_skips_section_pages(tmp_path: Path):
    write(
        tmp_path,
        {
            "a/_index.md": "---\npodcast_file: x.mp3\n---\n",
            "a/one.md": "---\npodcast_link: https://x.example/1.mp3\n---\n",
            "a/two.md": "---\npodcast_link: https://x.example/2.mp3\n---\n",
            "b/three.md": "---\npodcast_file: 3.mp3\n---\n",
            "node_modules/pkg/readme.md": "---\npodcast_file: 4.mp3\n---\n",
        },
    )
    found = detect_convention(tmp_path)
    assert found.preset == "jekyll-podcast"
    assert found.episodes_dir == tmp_path / "a"
    assert dict(found.votes) == {"jekyll-podcast": 2, "castanet": 1}


def test_written_config_is_valid_yaml_with_every_value(hugo_site: Path, monkeypatch, capsys):
    monkeypatch.chdir(hugo_site)
    assert cli.main(["init", "--title", "Given Title", "--category", "Arts/Design"]) == 0
    out = capsys.readouterr().out
    assert "site: Hugo (hugo.toml)" in out
    assert "episodes: 3 files in content/episode, preset castanet" in out
    assert "next: feedgen-pod build" in out
    data, _ = read_config(hugo_site / "feedgen-pod.yaml")
    assert data["title"] == "Given Title"
    assert data["categories"] == ["Arts/Design"]
    assert data["preset"] == "castanet"
    text = (hugo_site / "feedgen-pod.yaml").read_text()
    assert "# --title\ntitle: Given Title\n" in text
    assert "# hugo.toml: params.media_prefix\nmedia_url:" in text


def test_init_never_replaces_a_config_without_force(hugo_site: Path, capsys):
    config = hugo_site / "feedgen-pod.yaml"
    config.write_text("title: mine\n")
    assert cli.main(["init", str(hugo_site)]) == 2
    assert "exists; init never replaces a config (pass --force to)" in capsys.readouterr().err
    assert config.read_text() == "title: mine\n"
    assert cli.main(["init", str(hugo_site), "--force"]) == 0
    assert "preset: castanet" in config.read_text()


def test_init_refuses_when_the_project_config_exists(hugo_site: Path, capsys):
    write(hugo_site, {"config/podcast.yaml": "title: mine\n"})
    assert cli.main(["init", str(hugo_site)]) == 2
    assert not (hugo_site / "feedgen-pod.yaml").exists()


def test_stdout_writes_nothing(hugo_site: Path, capsys):
    before = sorted(p.name for p in hugo_site.rglob("*"))
    assert cli.main(["init", str(hugo_site), "--stdout"]) == 0
    assert capsys.readouterr().out.startswith("# feedgen-pod settings for this Hugo site")
    assert sorted(p.name for p in hugo_site.rglob("*")) == before


def test_episode_files_are_never_written(jekyll_site: Path):
    posts = {p: p.read_bytes() for p in (jekyll_site / "_posts").iterdir()}
    stamps = {p: p.stat().st_mtime_ns for p in posts}
    assert cli.main(["init", str(jekyll_site)]) == 0
    assert {p: p.read_bytes() for p in posts} == posts
    assert {p: p.stat().st_mtime_ns for p in posts} == stamps


def test_preset_flag_wins_over_detection(jekyll_site: Path):
    plan = make_plan(jekyll_site, {"preset": "flat", "episodes_dir": "_posts"})
    assert plan.entries["preset"].value == "flat"
    assert plan.entries["preset"].source == "--preset"


def test_missing_folder_is_a_usage_error(tmp_path: Path, capsys):
    assert cli.main(["init", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_commands_find_the_config_init_wrote(tmp_path: Path):
    assert default_config_path(tmp_path) == tmp_path / "feedgen-pod.yaml"
    write(tmp_path, {"config/podcast.yaml": "title: x\n"})
    assert default_config_path(tmp_path) == tmp_path / "config/podcast.yaml"
    write(tmp_path, {"feedgen-pod.yaml": "title: x\n"})
    assert default_config_path(tmp_path) == tmp_path / "feedgen-pod.yaml"


def test_build_without_a_config_says_to_run_init(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err
    assert "feedgen-pod.yaml" in err and "run `feedgen-pod init`" in err


def test_hugo_feed_template_self_link_with_nested_quotes(tmp_path: Path):
    template = (
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>\n'
        '<atom:link href="{{ "podcast/feed.xml" | absURL }}" rel="self" '
        'type="application/rss+xml" />\n{{ range .Pages }}{{ end }}</channel></rss>\n'
    )
    write(
        tmp_path,
        {
            "hugo.yaml": "baseURL: https://y.example/\ntitle: Yaml Show\n",
            "themes/pod/layouts/section/episode.rss.xml": template,
            "content/episode/a.md": CASTANET_EPISODE.format(n=1),
        },
    )
    plan = make_plan(tmp_path)
    assert plan.entries["feed_url"].value == "https://y.example/podcast/feed.xml"
    assert plan.entries["feed_url"].source == (
        "themes/pod/layouts/section/episode.rss.xml: atom:link rel=self"
    )


def test_a_template_expression_init_cannot_fill_is_not_guessed(tmp_path: Path):
    feed = JEKYLL_FEED.replace("{{ site.baseurl }}", "{{ page.format | upcase }}")
    write(tmp_path, {"_config.yml": JEKYLL_CONFIG, "feed.xml": feed})
    write(tmp_path, {"_posts/2024-02-01-a.md": JEKYLL_POST.format(n=1)})
    plan = make_plan(tmp_path)
    assert "feed_url" not in plan.entries
    assert "feed_url" in plan.todo


def test_a_broken_settings_file_is_a_note_not_a_crash(tmp_path: Path, capsys):
    write(
        tmp_path,
        {
            "config.toml": 'baseURL = "https://b.example/\ntitle = [\n',
            "content/episode/a.md": CASTANET_EPISODE.format(n=1),
        },
    )
    plan = make_plan(tmp_path)
    assert plan.generator.name == "hugo"
    assert any(n.startswith("config.toml: not read, it is not valid TOML") for n in plan.notes)
    assert plan.entries["preset"].value == "castanet"
    assert cli.main(["init", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "note: config.toml: not read" in out
    assert f"next: fill in the TODO lines of {tmp_path / 'feedgen-pod.yaml'}" in out


def test_values_in_a_form_the_config_refuses_are_mended_or_left_out(tmp_path: Path):
    settings = {
        "name": "Mended",
        "description": "d",
        "link": "http://m.example",
        "language": "pt_BR",
        "email": "not an email",
        "category": ["Technology/Software How-To", "Nonsense"],
    }
    write(
        tmp_path,
        {
            ".astropod/astropod.config.json": json.dumps(settings),
            "src/content/episode/one.md": "---\ntitle: One\naudioUrl: /a/1.mp3\n---\n",
        },
    )
    plan = make_plan(tmp_path)
    values = {k: e.value for k, e in plan.entries.items()}
    assert values["language"] == "pt-BR"
    assert values["categories"] == ["Technology"]
    assert values["feed_url"] == "https://m.example/rss.xml"
    assert "owner_email" not in values and "owner_email" in plan.todo
    assert any(n.startswith("owner_email: 'not an email'") for n in plan.notes)
