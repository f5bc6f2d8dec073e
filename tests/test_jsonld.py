"""schema.org JSON-LD: checked against the vocabulary, expanded by pyld, built for the corpus.

The vocabulary and the JSON-LD context are read in place from ``../shared/schemaorg`` (the
tests skip without them); pyld gets the context through a document loader, never the network.
Set ``UPDATE_GOLDEN=1`` to rewrite ``tests/golden/jsonld/`` after an intended change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import podcastparser
import pytest
from conftest import CORPUS, ROOT, SHARED
from hypothesis import given
from hypothesis import strategies as st
from pyld import jsonld

from feedgen_pod.build import BuildOptions, build
from feedgen_pod.config import load_config
from feedgen_pod.formats import jsonld_episode, jsonld_series
from feedgen_pod.formats.jsonld_common import script_element
from feedgen_pod.model import (
    Audio,
    AudioSource,
    Chapter,
    ChapterSettings,
    Enclosure,
    Episode,
    Person,
    TranscriptLine,
)
from feedgen_pod.times import iso_duration, parse_iso_duration

SCHEMAORG = SHARED / "schemaorg"
VOCABULARY = SCHEMAORG / "schemaorg-current-https.jsonld"
CONTEXT = SCHEMAORG / "schemaorgcontext.jsonld"
FIXTURE = ROOT / "tests" / "fixtures" / "jsonld"
GOLDEN = ROOT / "tests" / "golden" / "jsonld"
SCHEMA = "http://schema.org/"
#: properties whose values are dates, and URL-valued properties (plus every ``@id``)
DATE_KEYS = {"datePublished", "dateModified", "uploadDate", "startDate", "endDate"}
URL_KEYS = {"url", "contentUrl", "embedUrl", "thumbnailUrl", "image", "sameAs", "target"}
URL_KEYS |= {"webFeed"}
ISO_DURATION = re.compile(r"^PT(?=\d)(\d+H)?(\d+M)?(\d+S)?$")


# --- the vocabulary -------------------------------------------------------------------------


class Vocabulary:
    """Classes, their superclasses and each property's domain and range, from schema.org."""

    def __init__(self, path: Path) -> None:
        graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
        self.nodes = {n["@id"]: n for n in graph}

    @staticmethod
    def _ids(value: Any) -> set[str]:
        items = value if isinstance(value, list) else [value] if value else []
        return {item["@id"] for item in items}

    def is_class(self, name: str) -> bool:
        node = self.nodes.get("schema:" + name)
        types = node and node["@type"]
        return bool(node) and "rdfs:Class" in (types if isinstance(types, list) else [types])

    def ancestors(self, name: str) -> set[str]:
        out: set[str] = set()
        stack = ["schema:" + name]
        while stack:
            current = stack.pop()
            if current not in out:
                out.add(current)
                stack += self._ids(self.nodes.get(current, {}).get("rdfs:subClassOf"))
        return out

    def prop(self, name: str) -> dict | None:
        node = self.nodes.get("schema:" + name)
        return node if node and node["@type"] == "rdf:Property" else None

    def allowed_on(self, prop: str, type_name: str) -> bool:
        node = self.prop(prop)
        domain = self._ids(node.get("schema:domainIncludes")) if node else set()
        return bool(domain & self.ancestors(type_name))

    def range_accepts(self, prop: str, value: Any, types: dict[str, str]) -> bool:
        """Is ``value`` (a literal, a typed node, or a reference to one) in the range?"""
        node = self.prop(prop)
        ranges = self._ids(node.get("schema:rangeIncludes")) if node else set()
        if isinstance(value, dict):
            type_name = value.get("@type") or types.get(value.get("@id", ""))
            return type_name is not None and bool(self.ancestors(type_name) & ranges)
        if isinstance(value, bool):
            return "schema:Boolean" in ranges
        if isinstance(value, (int, float)):
            return bool({"schema:Number", "schema:Integer"} & ranges)
        texts = {"schema:Text", "schema:URL", "schema:Date", "schema:DateTime", "schema:Duration"}
        return bool(texts & {a for r in ranges for a in self.ancestors(r.split(":")[1])})


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    if not VOCABULARY.is_file():
        pytest.skip("../shared/schemaorg is absent (CI always has it)")
    return Vocabulary(VOCABULARY)


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def vocabulary_errors(doc: dict, vocab: Vocabulary) -> list[str]:
    """Every type, property and value in the document that schema.org does not allow."""
    graph = doc["@graph"]
    types = {n["@id"]: n["@type"] for n in graph if "@id" in n and "@type" in n}
    errors: list[str] = []

    def walk(node: dict, where: str) -> None:
        type_name = node.get("@type")
        if type_name is None:
            assert set(node) == {"@id"}, f"{where}: an untyped node is only a reference"
            assert node["@id"] in types, f"{where}: reference {node['@id']} not in the graph"
            return
        if not vocab.is_class(type_name):
            errors.append(f"{where}: {type_name} is not a schema.org type")
            return
        for key, value in node.items():
            if key.startswith("@"):
                continue
            if vocab.prop(key) is None or "schema:supersededBy" in vocab.prop(key):
                errors.append(f"{where}: {key} is not a current schema.org property")
            elif not vocab.allowed_on(key, type_name):
                errors.append(f"{where}: {key} is not allowed on {type_name}")
            for index, item in enumerate(_values(value)):
                if not vocab.range_accepts(key, item, types):
                    errors.append(f"{where}.{key}[{index}]: {item!r} is outside its range")
                if isinstance(item, dict) and "@type" in item:
                    walk(item, f"{where}.{key}[{index}]")

    for index, node in enumerate(graph):
        walk(node, f"@graph[{index}]")
    return errors


def test_the_vocabulary_check_catches_mistakes(vocabulary) -> None:
    doc = {
        "@graph": [
            {"@type": "PodcastEpisode", "@id": "https://x.org/#e", "transcript": "text"},
            {"@type": "PodcastEpisod", "@id": "https://x.org/#f"},
            {"@type": "Person", "@id": "https://x.org/#p", "sameAs": 3, "colour": "red"},
        ]
    }
    errors = "\n".join(vocabulary_errors(doc, vocabulary))
    assert "transcript is not allowed on PodcastEpisode" in errors
    assert "PodcastEpisod is not a schema.org type" in errors
    assert "sameAs[0]: 3 is outside its range" in errors
    assert "colour is not a current schema.org property" in errors


# --- expansion ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loader():
    if not CONTEXT.is_file():
        pytest.skip("../shared/schemaorg is absent (CI always has it)")
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))

    def load(url: str, options: dict | None = None) -> dict:
        if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
            raise AssertionError(f"the test would fetch {url}; only schema.org is served")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return load


def expansion_losses(doc: dict, load) -> list[str]:
    """Keys or values that JSON-LD expansion drops or changes (none means every term maps)."""
    expanded = jsonld.expand(doc, {"documentLoader": load})
    losses: list[str] = []

    def compare(original: dict, node: dict, where: str) -> None:
        if "@id" in original and node.get("@id") != original["@id"]:
            losses.append(f"{where}: @id {original['@id']} became {node.get('@id')}")
        if "@type" in original and node.get("@type") != [SCHEMA + original["@type"]]:
            losses.append(f"{where}: @type {original['@type']} became {node.get('@type')}")
        expected = {SCHEMA + k for k in original if not k.startswith("@")}
        present = {k for k in node if not k.startswith("@")}
        losses.extend(f"{where}: {k} lost" for k in sorted(expected - present))
        losses.extend(f"{where}: {k} appeared" for k in sorted(present - expected))
        for key in original:
            if key.startswith("@") or SCHEMA + key not in node:
                continue
            items, out = _values(original[key]), node[SCHEMA + key]
            if len(items) != len(out):
                losses.append(f"{where}.{key}: {len(items)} values became {len(out)}")
                continue
            for index, (item, got) in enumerate(zip(items, out, strict=True)):
                if isinstance(item, dict):
                    compare(item, got, f"{where}.{key}[{index}]")
                elif got.get("@value", got.get("@id")) != item:
                    losses.append(f"{where}.{key}[{index}]: {item!r} became {got!r}")

    if len(expanded) != len(doc["@graph"]):
        return [f"{len(doc['@graph'])} nodes became {len(expanded)}"]
    for index, (original, node) in enumerate(zip(doc["@graph"], expanded, strict=True)):
        compare(original, node, f"@graph[{index}]")
    return losses


def reference_processor(paths: list[Path]) -> dict[str, dict]:
    """jsonld.js (the reference JSON-LD processor) in safe mode, run by ``tests/js``."""
    script = ROOT / "tests" / "js" / "validate_jsonld.js"
    if not shutil.which("node") or not (script.parent / "node_modules" / "jsonld").is_dir():
        pytest.skip("node and tests/js/node_modules/jsonld are needed (cd tests/js && npm ci)")
    run = subprocess.run(
        ["node", str(script), str(CONTEXT), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(run.stdout)


def pyld_quads(doc: dict, load) -> int:
    return len(jsonld.to_rdf(doc, {"documentLoader": load})["@default"])


# --- building -------------------------------------------------------------------------------


def test_the_expansion_check_catches_dropped_keys(loader) -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "Person", "@id": "https://x.org/#p", "name": None, "x:y": "z"}],
    }
    assert expansion_losses(doc, loader) == [
        "@graph[0]: http://schema.org/name lost",
        "@graph[0]: http://schema.org/x:y lost",
        "@graph[0]: x:y appeared",
    ]


def build_show(config: Path, out: Path, **changes: Any) -> tuple[Any, Any]:
    show, _ = load_config(config)
    show = replace(show, **changes)
    report = build(show, BuildOptions(out=out))
    return show, report


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory) -> tuple[Path, Any]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (CI always has it)")
    out = tmp_path_factory.mktemp("corpus") / "dist"
    _, report = build_show(
        ROOT / "config" / "podcast.yaml",
        out,
        episodes_dir=CORPUS / "episodes",
        people_dir=CORPUS / "people",
        chapters=ChapterSettings(directory=CORPUS / "chapters"),
        audio_feed=None,
    )
    return out, report


def corpus_documents(out: Path) -> list[Path]:
    return [*sorted(out.glob("episodes/*/episode.jsonld")), out / "podcast.jsonld"]


def test_every_corpus_episode_gets_a_document(corpus_build, corpus) -> None:
    out, report = corpus_build
    published = [p for p in corpus.glob("episodes/*.md") if not p.name.startswith("_")]
    built = sorted(out.glob("episodes/*/episode.jsonld"))
    assert len(built) == len(published) == report.built
    assert sorted(out.glob("episodes/*/episode.jsonld.html")) == [
        p.with_name("episode.jsonld.html") for p in built
    ]
    series = json.loads((out / "podcast.jsonld").read_text(encoding="utf-8"))
    listed = {part["@id"] for part in series["@graph"][0]["hasPart"]}
    for path in built:
        episode = json.loads(path.read_text(encoding="utf-8"))["@graph"][0]
        assert episode["@type"] == "PodcastEpisode"
        assert episode["@id"] in listed
        assert episode["@id"] == episode["url"] + "#episode"


def test_corpus_documents_are_in_the_vocabulary(corpus_build, vocabulary) -> None:
    out, _ = corpus_build
    for path in corpus_documents(out):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert vocabulary_errors(doc, vocabulary) == [], path


def test_corpus_documents_expand_without_loss(corpus_build, loader) -> None:
    out, _ = corpus_build
    for path in corpus_documents(out):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert expansion_losses(doc, loader) == [], path


def test_corpus_documents_pass_the_reference_processor(corpus_build, loader) -> None:
    """An independent implementation agrees: no error in safe mode, the same number of quads."""
    out, _ = corpus_build
    paths = corpus_documents(out)
    results = reference_processor(paths)
    for path in paths:
        result = results[str(path)]
        assert result["error"] is None, (path, result["error"])
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert result["quads"] == pyld_quads(doc, loader), path


def _walk(value: Any, key: str = ""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, key)
    else:
        yield key, value


def test_corpus_dates_durations_and_urls_are_valid(corpus_build) -> None:
    out, _ = corpus_build
    for path in corpus_documents(out):
        text = path.read_text(encoding="utf-8")
        assert "site.people" not in text and "{{" not in text, path
        for key, value in _walk(json.loads(text)):
            assert value is not None and value != "", (path, key)
            if key in DATE_KEYS:
                date.fromisoformat(value)
            if key in {"duration"}:
                assert ISO_DURATION.match(value), (path, value)
                assert parse_iso_duration(value) > 0
            if key in URL_KEYS or key == "@id":
                parts = urlsplit(value)
                assert parts.scheme == "https" or parts.scheme == "http", (path, key, value)
                assert parts.netloc and not re.search(r"\s|[{}<>\"]", value), (path, value)


def test_corpus_durations_are_the_models_not_invented(corpus_build) -> None:
    out, report = corpus_build
    for episode in report.episodes:
        path = out / "episodes" / episode.slug / "episode.jsonld"
        node = json.loads(path.read_text(encoding="utf-8"))["@graph"][0]
        if episode.duration:
            assert node["duration"] == iso_duration(episode.duration)
        else:
            assert "duration" not in node
        assert node.get("datePublished") == (
            episode.pub_date.isoformat() if episode.pub_date else None
        )


def test_corpus_key_moments_are_the_chapters(corpus_build, corpus) -> None:
    """Episodes with chapters get one Clip each, linking to YouTube at that second."""
    out, _ = corpus_build
    with_clips = 0
    for path in sorted(out.glob("episodes/*/episode.jsonld")):
        graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
        videos = [n for n in graph if n["@type"] == "VideoObject"]
        for video in videos:
            for clip in video.get("hasPart", []):
                assert clip["url"].endswith(f"&t={int(clip['startOffset'])}s")
                assert clip["url"].startswith(video["contentUrl"])
                assert clip.get("endOffset", clip["startOffset"] + 1) > clip["startOffset"]
            with_clips += bool(video.get("hasPart"))
            chapters_file = path.with_name("chapters.json")
            chapters = (
                json.loads(chapters_file.read_bytes())["chapters"] if chapters_file.exists() else []
            )
            assert [(c["name"], c["startOffset"]) for c in video.get("hasPart", [])] == [
                (c["title"], c["startTime"]) for c in chapters
            ], path
    assert with_clips >= 10


# --- the default show: consistent with its enclosures -----------------------------------------


def test_episode_documents_agree_with_the_feed(tmp_path) -> None:
    """Titles, pages, dates, durations and media of feed.xml (read by podcastparser)."""
    out = tmp_path / "dist"
    show, _ = build_show(ROOT / "config" / "podcast.yaml", out)
    with (out / "feed.xml").open("rb") as stream:
        feed = podcastparser.parse(show.feed_url, stream)
    assert feed["episodes"]
    series = json.loads((out / "podcast.jsonld").read_bytes())["@graph"][0]
    assert series["name"] == feed["title"]
    pages = {}
    for path in out.glob("episodes/*/episode.jsonld"):
        graph = json.loads(path.read_bytes())["@graph"]
        pages[graph[0]["url"]] = graph
    for item in feed["episodes"]:
        graph = pages[item["link"]]
        episode = graph[0]
        audio = next(n for n in graph if n["@id"] == episode["associatedMedia"]["@id"])
        assert episode["name"] == item["title"]
        published = datetime.fromtimestamp(item["published"], timezone.utc).date()
        assert episode["datePublished"] == published.isoformat()
        assert parse_iso_duration(episode["duration"]) == item["total_time"]
        assert parse_iso_duration(audio["duration"]) == item["total_time"]
        (enclosure,) = item["enclosures"]
        assert audio["contentUrl"] == enclosure["url"]
        assert audio["encodingFormat"] == enclosure["mime_type"]
        assert audio["contentSize"] == str(enclosure["file_size"])


# --- the script element ---------------------------------------------------------------------

HOSTILE = "</script><script>alert(1)</script><!-- <\u2028 & </SCRIPT >"


def _hostile_episode() -> Episode:
    guest = Person("guest", HOSTILE, bio=HOSTILE, website_url="https://example.org/</script>")
    return Episode(
        slug="hostile",
        source=Path("hostile.md"),
        title=HOSTILE,
        season=1,
        number=1,
        guests=(guest,),
        youtube_id="abcDEF12345",
        published=date(2024, 1, 1),
        transcript=(TranscriptLine(HOSTILE, HOSTILE, 0.0),),
        chapters=(Chapter(0.0, 30.0, HOSTILE),),
        audio=Audio(
            Enclosure("https://example.org/a.mp3", 10, "audio/mpeg", 30.0), AudioSource.FRONT_MATTER
        ),
    )


def test_script_element_cannot_be_broken_out_of() -> None:
    show, _ = load_config(FIXTURE / "config" / "podcast.yaml")
    episode = _hostile_episode()
    outputs = {o.path: o.data for o in jsonld_episode.episode_outputs(show, episode).outputs}
    page = outputs["episodes/hostile/episode.jsonld.html"].decode()
    body = page.removeprefix('<script type="application/ld+json">').removesuffix("</script>\n")
    assert "<" not in body and ">" not in body and "&" not in body
    assert page.lower().count("</script") == 1
    # a real HTML parser sees one script element whose text is the whole document
    root = lxml.html.fromstring(f"<html><head>{page}</head><body><p>after</p></body></html>")
    scripts = root.findall(".//script")
    assert len(scripts) == 1 and root.findtext(".//p") == "after"
    doc = json.loads(scripts[0].text)
    assert doc == json.loads(outputs["episodes/hostile/episode.jsonld"])
    assert doc["@graph"][0]["name"] == HOSTILE
    audio = next(n for n in doc["@graph"] if n["@type"] == "AudioObject")
    assert HOSTILE in audio["transcript"]


def test_script_element_keeps_the_json_equal() -> None:
    doc = {"@context": "https://schema.org", "name": "a & b <!-- c --> </script>"}
    page = script_element(doc).decode()
    inner = page.split("\n", 1)[1].rsplit("\n</script>", 1)[0]
    assert json.loads(inner) == doc


@given(st.text())
def test_any_text_stays_inside_the_script_element(text: str) -> None:
    doc = {"@context": "https://schema.org", "@type": "Thing", "name": text}
    page = script_element(doc).decode()
    inner = page.split("\n", 1)[1].rsplit("\n</script>", 1)[0]
    assert not re.search(r"[<>&]", inner)
    assert json.loads(inner) == doc


def test_actions_only_for_places_to_watch_or_listen() -> None:
    links = {
        "youtube": "https://www.youtube.com/watch?v=x",
        "spotify": "https://open.spotify.com/episode/y",
        "slides": "https://example.org/slides.pdf",
    }
    episode = Episode(slug="e", source=Path("e.md"), title="E", links=links)
    assert jsonld_episode.actions(episode) == [
        {"@type": "ListenAction", "target": links["spotify"]},
        {"@type": "WatchAction", "target": links["youtube"]},
    ]


# --- what is left out -----------------------------------------------------------------------


def test_missing_data_is_left_out_not_invented() -> None:
    show, _ = load_config(FIXTURE / "config" / "podcast.yaml")
    bare = Episode(slug="bare", source=Path("bare.md"), title="Bare")
    graph = jsonld_episode.episode_document(show, bare)["@graph"]
    episode = graph[0]
    for key in ("duration", "datePublished", "image", "episodeNumber", "partOfSeason"):
        assert key not in episode
    assert {n["@type"] for n in graph} == {"PodcastEpisode", "PodcastSeries", "Organization"} | {
        "Person"
    }
    assert not any(n["@type"] in ("AudioObject", "VideoObject") for n in graph)


# --- golden files ---------------------------------------------------------------------------


def test_golden_fixture(tmp_path) -> None:
    out = tmp_path / "dist"
    build_show(FIXTURE / "config" / "podcast.yaml", out)
    produced = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and (p.name.startswith("episode.jsonld") or p.name == "podcast.jsonld")
    }
    assert len(produced) == 5
    if os.environ.get("UPDATE_GOLDEN"):
        for rel, data in produced.items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }
    assert produced == expected


def test_golden_fixture_is_valid(vocabulary, loader) -> None:
    for path in sorted(GOLDEN.rglob("*.jsonld")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert vocabulary_errors(doc, vocabulary) == [], path
        assert expansion_losses(doc, loader) == [], path


def test_series_counts_seasons() -> None:
    show, _ = load_config(FIXTURE / "config" / "podcast.yaml")
    episodes = [
        Episode(slug=f"e{n}", source=Path("x.md"), title=f"E{n}", season=s, number=n, published=d)
        for n, s, d in [
            (1, 1, date(2024, 1, 1)),
            (2, 1, date(2024, 3, 1)),
            (3, 2, None),
            (4, 2, date(2024, 5, 1)),
            (5, None, date(2024, 6, 1)),
        ]
    ]
    graph = jsonld_series.series_document(show, episodes)["@graph"]
    seasons = {n["seasonNumber"]: n for n in graph if n["@type"] == "PodcastSeason"}
    assert seasons[1]["numberOfEpisodes"] == 2
    assert (seasons[1]["startDate"], seasons[1]["endDate"]) == ("2024-01-01", "2024-03-01")
    assert seasons[2]["numberOfEpisodes"] == 2
    assert (seasons[2]["startDate"], seasons[2]["endDate"]) == ("2024-05-01", "2024-05-01")
    assert len(graph[0]["hasPart"]) == 2 + 5
    assert graph[0]["startDate"] == "2024-01-01"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(min_value=0, max_value=400_000).map(lambda x: round(x, 3))  # times we write
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=5))
def test_json_text_is_what_json_itself_writes(doc: dict[str, Any]) -> None:
    """orjson writes the files; they must be byte for byte json's sorted, indented output
    (any text, control characters, non-ASCII, nesting, 64-bit integers)."""
    from feedgen_pod.formats.jsonld_common import json_text

    assert json_text(doc) == json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2)
