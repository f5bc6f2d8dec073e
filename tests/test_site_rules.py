"""The rules other generators follow, each on its own: dates (read without a guess), page URLs
(Jekyll, Hugo, Astro, patterns), guids, and template tags in show notes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_pod.errors import Problem
from feedgen_pod.load import site_pages
from feedgen_pod.load.dates import DateRules, read_date
from feedgen_pod.load.field_base import Context
from feedgen_pod.load.templatetags import resolve_tags

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=300, deadline=None)
@given(DAYS, st.sampled_from(["%Y-%m-%d", "%b %d %Y", "%B %d %Y", "%d %B %Y", "%a, %d %b %Y"]))
def test_a_whole_date_reads_back_in_any_common_form(day: date, form: str) -> None:
    assert read_date(day.strftime(form)).day == day


@settings(max_examples=200, deadline=None)
@given(DAYS, st.integers(0, 23), st.integers(0, 59), st.integers(-12, 12))
def test_rfc_2822_and_iso_keep_the_time_and_zone(day, hour, minute, offset) -> None:
    moment = datetime.combine(day, time(hour, minute), timezone(timedelta(hours=offset)))
    for text in (format_datetime(moment), moment.isoformat()):
        released = read_date(text)
        assert released.moment == moment and released.moment.utcoffset() == moment.utcoffset()


@pytest.mark.parametrize("text", ["May 6", "3pm", "10", "June", "6/5", "Tuesday"])
def test_an_incomplete_date_is_an_error_never_a_guess(text: str) -> None:
    with pytest.raises(ValueError, match=r"has no|expected a date"):
        read_date(text)


@pytest.mark.parametrize("text", ["1.1.0", "6/5/24", "May 6 22", "Tue, 11 Aug 26"])
def test_a_year_not_written_in_full_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="year in full"):
        read_date(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(1990, 2100))
def test_a_day_and_month_that_could_swap_warn_unless_date_order_says(d, m, y) -> None:
    text = f"{d}/{m}/{y}"
    plain = read_date(text)
    assert bool(plain.warning) == (d != m)
    assert plain.day == date(y, d, m)  # month first, said in the warning
    assert read_date(text, DateRules("dmy")) == read_date(text, DateRules("dmy"))
    assert read_date(text, DateRules("dmy")).day == date(y, m, d)
    assert not read_date(text, DateRules("dmy")).warning
    assert read_date(f"{y}-{m:02d}-{d:02d}", DateRules("dmy")).day == date(y, m, d)


def test_a_day_alone_is_released_at_the_shows_time() -> None:
    assert read_date("2024-05-06").moment is None  # the feed's noon UTC, as before
    rules = DateRules(release_time=time(6, 30), timezone="Europe/Berlin")
    moment = read_date(date(2024, 5, 6), rules).moment
    assert moment.isoformat() == "2024-05-06T06:30:00+02:00"
    naive = read_date("2024-05-06 10:00", rules).moment
    assert naive.isoformat() == "2024-05-06T10:00:00+02:00"


@pytest.mark.parametrize(
    ("name", "fields", "style", "expected"),
    [
        ("2018-03-25-name.md", {}, "date", "/2018/03/25/name.html"),
        ("2018-03-25-name.markdown", {}, "pretty", "/2018/03/25/name/"),
        ("2018-03-25-name.md", {}, "none", "/name.html"),
        ("2018-03-25-name.md", {}, "/:title/", "/name/"),
        ("2018-03-25-name.md", {"slug": "Other Name"}, "/:title/", "/Other-Name/"),
        (
            "2018-03-25-name.md",
            {"categories": "pod cast"},
            "date",
            "/pod/cast/2018/03/25/name.html",
        ),
        ("2018-03-25-name.md", {"permalink": "/00/"}, "date", "/00/"),
        ("2018-03-25-name.md", {}, "ordinal", "/2018/084/name.html"),
    ],
)
def test_jekyll_post_urls(tmp_path, name, fields, style, expected) -> None:
    path = tmp_path / "_posts" / name
    assert site_pages.jekyll_page(path, fields, style, tmp_path, None) == expected


@pytest.mark.parametrize(
    ("rel", "fields", "pattern", "expected"),
    [
        ("episode/aug.md", {}, "", "/episode/aug/"),
        ("episode/Big Show.md", {}, "", "/episode/big-show/"),
        ("episode/aug/index.md", {}, "", "/episode/aug/"),
        ("episode/aug.md", {"slug": "august"}, "", "/episode/august/"),
        ("episode/aug.md", {"url": "/eleven/"}, "", "/eleven/"),
        ("episode/aug.md", {}, "/:contentbasename/", "/aug/"),
        ("episode/aug.md", {}, "/:filename/", "/aug/"),
        ("episode/aug.md", {"title": "Hot One"}, "/:slug/", "/hot-one/"),
        (
            "episode/aug.md",
            {"date": date(2016, 8, 25)},
            "/:year/:month/:filename/",
            "/2016/08/aug/",
        ),
    ],
)
def test_hugo_page_urls(tmp_path, rel, fields, pattern, expected) -> None:
    content = tmp_path / "content"
    assert site_pages.hugo_page(content / rel, fields, pattern, content) == expected


def test_astro_slugs_and_patterns(tmp_path) -> None:
    assert site_pages.astro_slug(tmp_path / "BB20200122-Biblical P13.md", tmp_path) == (
        "bb20200122-biblical-p13"
    )
    assert site_pages.astro_slug(tmp_path / "01_JMB-1_32K.md", tmp_path) == "01_jmb-1_32k"
    path = tmp_path / "198.md"
    assert site_pages.pattern_page(path, {}, "/:slug/") == "/198/"
    assert site_pages.pattern_page(path, {"slug": "dessert/4"}, "/:slug/") == "/dessert/4/"
    assert site_pages.pattern_page(path, {"episode": 7}, "/e/:episode/") == "/e/7/"


def _ctx(tmp_path: Path) -> tuple[Context, list[Problem]]:
    problems: list[Problem] = []
    return Context(tmp_path / "x.md", {}, problems, {}), problems


def test_plain_template_tags_are_filled_from_the_front_matter(tmp_path) -> None:
    ctx, problems = _ctx(tmp_path)
    data = {"subtitle": "Getting Started", "episode": 3, "Podcast_Link": "https://x/a.mp3"}
    body = "## {{ page.subtitle }}\nEp {{ .Params.episode }} at {{page.podcast_link}}\n"
    assert resolve_tags(body, data, 7, ctx) == ("## Getting Started\nEp 3 at https://x/a.mp3\n")
    assert not problems


def test_other_template_tags_are_removed_with_one_warning_at_the_first(tmp_path) -> None:
    ctx, problems = _ctx(tmp_path)
    body = "Hi\n{{ page | web_player:site }}\n{% include x.html %}\n{{< youtube abc >}}\n"
    body += "{% raw %}{{ kept }}{% endraw %} {{ page.missing }}\n"
    text = resolve_tags(body, {}, 10, ctx)
    assert text == "Hi\n\n\n\n{{ kept }} \n"
    assert "{{" not in text.replace("{{ kept }}", "")
    [warning] = problems
    assert warning.line == 11 and "3 more" in warning.message
    assert warning.kind == "template-tag-removed"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="{}%<>. pagetx\n", max_size=40))
def test_no_template_tag_survives(body: str) -> None:
    ctx = Context(Path("x.md"), {}, [], {})
    text = resolve_tags(body, {}, 1, ctx)
    for opening, closing in (("{{", "}}"), ("{%", "%}")):
        start = text.find(opening)
        assert start == -1 or text.find(closing, start + 2) == -1


@pytest.mark.parametrize(
    "body",
    [
        "{{" * 200_000,
        "{{x}} " * 100_000 + "{%" * 100_000,
        "{% raw %}" * 100_000,
        "{{< a " * 100_000 + "}}",
    ],
)
def test_a_hostile_body_is_read_in_one_pass(tmp_path, body: str) -> None:
    ctx, _ = _ctx(tmp_path)
    text = resolve_tags(body, {"x": "y"}, 1, ctx)
    assert "{{x}}" not in text and "{% raw %}" not in text
