"""Host feed items matched to episode files as one assignment: a copy-pasted id never gives
one episode another's audio, and what cannot be settled is an error naming both files."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from feedgen_pod.load.audio_match import AudioClaim, HostItem, assign
from feedgen_pod.model import Enclosure


def item(line: int, title: str, anchor: str | None = None, link: str = "", **kw) -> HostItem:
    return HostItem(
        line=line,
        title=title,
        link=link or (f"https://anchor.fm/show/episodes/{title.replace(' ', '-')}-{anchor}"
                      if anchor else ""),
        guid=f"guid-{line}",
        enclosure=Enclosure(f"https://m.example/{line}.mp3", line, "audio/mpeg", None),
        published=kw.get("published"),
        anchor_ids=frozenset({anchor} if anchor else ()),
        youtube_ids=frozenset(kw.get("youtube", ())),
    )  # fmt: skip


def claim(slug: str, title: str, anchor: str | None = None, **kw) -> AudioClaim:
    return AudioClaim(slug=slug, where=f"episodes/{slug}.md", title=title, anchor_id=anchor, **kw)


def test_a_copy_pasted_id_goes_to_the_file_whose_title_agrees() -> None:
    items = [item(10, "Data Governance", "e12jmoo"), item(20, "Teaching Data Engineers")]
    claims = [
        # name order puts the copy first: the old matching gave it the other episode's audio
        claim("a-teaching", "Teaching Data Engineers", "e12jmoo"),
        claim("b-governance", "Data Governance", "e12jmoo"),
    ]
    result = assign(claims, items, "host.xml")
    assert result.items == {"b-governance": 0, "a-teaching": 1}
    [clash] = result.problems
    assert clash.path == "episodes/a-teaching.md" and clash.kind == "audio-id-clash"
    assert clash.is_error and "episodes/b-governance.md" in clash.message
    assert "host.xml:10" in clash.message and "got the item at line 20" in clash.message


def test_three_files_one_id_each_gets_its_own_item() -> None:
    items = [item(10, "Alpha", "e1111aa"), item(20, "Beta"), item(30, "Gamma")]
    claims = [claim(s, s.capitalize(), "e1111aa") for s in ("gamma", "beta", "alpha")]
    result = assign(claims, items, "host.xml")
    assert result.items == {"alpha": 0, "beta": 1, "gamma": 2}
    assert sorted(p.path for p in result.problems) == ["episodes/beta.md", "episodes/gamma.md"]
    assert all(p.kind == "audio-id-clash" for p in result.problems)


def test_a_shared_id_nobody_backs_gives_nobody_the_audio() -> None:
    items = [item(10, "Something else entirely", "e1111aa")]
    claims = [claim("one", "One", "e1111aa"), claim("two", "Two", "e1111aa")]
    result = assign(claims, items, "host.xml")
    assert result.items == {}
    assert [p.path for p in result.problems] == ["episodes/one.md", "episodes/two.md"]
    assert all(p.is_error and "went to no file" in p.message for p in result.problems)


def test_the_guest_in_the_slug_or_the_date_settles_a_shared_id() -> None:
    items = [
        item(10, "Episode 12", "e1111aa", link="https://anchor.fm/x/episodes/Ep-12---Jeff-Katz-e1111aa"),
        item(20, "Episode 13", "e2222bb", published=date(2024, 3, 1)),
    ]  # fmt: skip
    claims = [
        claim("katz", "Teaching", "e1111aa", guest_names=("Jeff Katz",)),
        claim("other", "Other", "e1111aa"),
        claim("dated", "Dated", "e2222bb", published=date(2024, 3, 2)),
        claim("undated", "Undated", "e2222bb"),
    ]
    result = assign(claims, items, "host.xml")
    assert result.items == {"katz": 0, "dated": 1}


def test_two_files_wanting_one_item_equally_get_neither() -> None:
    items = [item(10, "Same Title")]
    claims = [claim("x", "Same Title"), claim("y", "Same Title")]
    result = assign(claims, items, "host.xml")
    assert result.items == {} and result.contested == {"x", "y"}
    assert [p.kind for p in result.problems] == ["audio-item-contested"] * 2
    assert "episodes/x.md and episodes/y.md" in result.problems[0].message


def test_an_unshared_id_still_wins_over_a_title() -> None:
    items = [item(10, "Old name", "e1111aa"), item(20, "New name")]
    result = assign([claim("a", "New name", "e1111aa")], items, "host.xml")
    assert result.items == {"a": 0} and not result.problems


titles = st.sampled_from(["Alpha", "Beta", "Gamma", "Delta", "Same"])
ids = st.sampled_from([None, "e1111aa", "e2222bb", "e3333cc"])


@given(
    st.lists(st.tuples(titles, ids), max_size=6),
    st.lists(st.tuples(titles, ids), max_size=6),
)
def test_each_item_goes_to_at_most_one_file_and_back(files, host) -> None:
    claims = [claim(f"f{i}", t, a) for i, (t, a) in enumerate(files)]
    items = [item(10 * (i + 1), t, a) for i, (t, a) in enumerate(host)]
    result = assign(claims, items, "host.xml")
    assert len(set(result.items.values())) == len(result.items)
    for slug, index in result.items.items():
        mine = next(c for c in claims if c.slug == slug)
        got = items[index]
        shared = sum(c.anchor_id == mine.anchor_id for c in claims) > 1
        # never on a shared id alone: the title agrees, or the id is this file's only
        assert mine.title == got.title or (mine.anchor_id in got.anchor_ids and not shared)
