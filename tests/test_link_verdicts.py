"""Verdicts, domain profiles, a link's history and the report document that every format is
made from: the three verdicts kept apart in exit codes and in every format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from feedgen_pod.errors import ConfigError
from feedgen_pod.linkcheck.cache import Cache
from feedgen_pod.linkcheck.history import DAY, Health, judge
from feedgen_pod.linkcheck.policy import KNOWN_HOSTS, from_config
from feedgen_pod.linkcheck.profiles import BUILT_IN
from feedgen_pod.linkcheck.report import FORMATS
from feedgen_pod.linkcheck.report.document import Context, build
from feedgen_pod.linkcheck.types import LinkResult, Source, Status, Suggestion, Verdict

CF = {"cf-mitigated": "challenge", "server": "cloudflare"}


@pytest.mark.parametrize(
    ("url", "code", "headers", "body", "unverifiable"),
    [
        ("https://www.linkedin.com/in/someone", 999, {}, b"", True),
        ("https://www.linkedin.com/authwall?trk=x", 200, {}, b"<html>", True),
        ("https://www.linkedin.com/in/someone", 404, {}, b"", False),
        ("https://x.com/someone", 200, {}, b"<html>", True),
        ("https://mobile.twitter.com/someone", 200, {}, b"<html>", True),
        ("https://x.com/someone", 404, {}, b"", False),
        ("https://medium.com/@a/post", 403, {}, b"", True),
        ("https://medium.com/@a/post", 410, {}, b"", False),
        ("https://old.reddit.com/r/x", 429, {}, b"", True),
        ("https://www.npmjs.com/package/x", 403, {}, b"", True),
        ("https://www.npmjs.com/package/x", 404, {}, b"", False),
        ("https://stackoverflow.com/q/1", 200, {}, b"<h1>Human verification</h1>", True),
        ("https://shop.example/a", 403, CF, b"", True),
        ("https://shop.example/a", 503, {}, b"<title>Just a moment...</title>", True),
        ("https://shop.example/a", 503, {}, b"<title>Down for maintenance</title>", False),
        ("https://shop.example/a", 404, CF, b"", False),
        ("https://shop.example/a", 200, {}, b"<html>fine</html>", False),
    ],
)
def test_profiles_tell_refusals_from_gone_pages(url, code, headers, body, unverifiable):
    host = re.match(r"https://([^/]+)", url).group(1)
    assert (BUILT_IN.judge(url, host, code, headers, body) is not None) is unverifiable


def test_politeness_comes_from_the_profiles_table():
    assert KNOWN_HOSTS["linkedin.com"].interval == 2.0 and not KNOWN_HOSTS["linkedin.com"].head
    assert KNOWN_HOSTS["twitter.com"] == KNOWN_HOSTS["x.com"]


def test_config_extends_and_overrides_the_profiles():
    settings = from_config(
        {
            "profiles": {
                "linkedin": {"interval": 5, "unverifiable": [999]},
                "paywall.example": {"unverifiable": [402], "why": "a paywall"},
                "akamai": {"domains": [], "unverifiable": [403], "headers": {"server": "akamai"}},
            },
            "hosts": {"linkedin.com": {"interval": 7}},
        }
    )
    table = settings.profiles
    assert table.judge("https://www.linkedin.com/x", "www.linkedin.com", 403, {}, b"") is None
    why = table.judge("https://news.paywall.example/a", "news.paywall.example", 402, {}, b"")
    assert why == "a paywall (HTTP 402)"
    assert table.judge("https://a.example/", "a.example", 403, {"server": "AkamaiGHost"}, b"")
    # politeness: links.hosts over the profile's
    assert settings.rule("www.linkedin.com").interval == 7
    assert (
        from_config({"profiles": {"linkedin": {"interval": 5}}}).rule("linkedin.com").interval == 5
    )


@pytest.mark.parametrize(
    ("profiles", "key"),
    [
        ({"x": {"unverifiable": "403"}}, "links.profiles.x.unverifiable"),
        ({"x": {"colour": "red"}}, "links.profiles.x.colour"),
        ({"x": {"domains": ["bad host"]}}, "links.profiles.x.domains"),
        ({"x": {"headers": ["cf-ray"]}}, "links.profiles.x.headers"),
        ({"x": {"interval": -1}}, "links.profiles.x.interval"),
        ({"x": "strict"}, "links.profiles.x"),
    ],
)
def test_profile_config_errors_name_the_key(profiles, key):
    with pytest.raises(ConfigError, match=re.escape(key)):
        from_config({"profiles": profiles})


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ({"fail_after": 0}, "links.fail_after"),
        ({"archive_api": "ftp://x"}, "links.archive_api"),
        ({"github_api": 3}, "links.github_api"),
        ({"archive_limit": {"requests": 0}}, "links.archive_limit.requests"),
        ({"archive_limit": {"every": 1}}, "links.archive_limit"),
    ],
)
def test_new_keys_are_checked(value, key):
    with pytest.raises(ConfigError, match=re.escape(key)):
        from_config(value)


def test_new_keys_are_read():
    s = from_config(
        {
            "fail_after": 3,
            "archive_api": "http://127.0.0.9:8000/",
            "github_api": "http://127.0.0.10:8000",
            "archive_limit": {"requests": 2, "per": 1.5},
        }
    )
    assert (s.fail_after, s.archive_api, s.github_api) == (
        3,
        "http://127.0.0.9:8000",
        "http://127.0.0.10:8000",
    )
    assert (s.archive_requests, s.archive_window) == (2, 1.5)
    assert from_config({}).archive_requests == 24 and from_config({}).archive_window == 60


# -- history ------------------------------------------------------------------------------

NOW = 100 * DAY
B, OK, U = Verdict.BROKEN, Verdict.OK, Verdict.UNVERIFIABLE


@pytest.mark.parametrize(
    ("past", "fail_after", "failing", "checks", "since"),
    [
        ([], 2, False, 1, NOW),  # the first failure is a warning
        ([], 1, True, 1, NOW),
        ([(NOW - 3600, B)], 2, False, 2, NOW - 3600),  # two checks within a night
        ([(NOW - DAY, B)], 2, True, 2, NOW - DAY),
        ([(NOW - 3600, B), (NOW - 2 * DAY, B)], 2, True, 3, NOW - 2 * DAY),
        ([(NOW - 2 * DAY, B)], 3, False, 2, NOW - 2 * DAY),
        ([(NOW - DAY, OK), (NOW - 2 * DAY, B)], 2, False, 1, NOW),  # it recovered in between
        ([(NOW - DAY, U), (NOW - 2 * DAY, B)], 2, False, 1, NOW),
    ],
)
def test_history_decides_when_a_broken_link_fails(past, fail_after, failing, checks, since):
    health = judge(B, "", past, NOW, fail_after)
    assert (health.failing, health.broken_checks, health.broken_since) == (failing, checks, since)


def test_a_link_wrong_in_itself_or_without_history_fails_at_once():
    assert judge(B, "invalid-url", [], NOW, 5).failing
    assert judge(B, "", None, NOW, 5).failing
    assert not judge(OK, "", None, NOW, 1).failing


def test_history_is_kept_in_the_cache(tmp_path):
    path = tmp_path / "c.sqlite"
    first = Cache(path, now=NOW - 2 * DAY)
    first.record([("k", B, "HTTP 404"), ("other", OK, ""), ("x", Verdict.EXCLUDED, "")])
    first.close()
    second = Cache(path, now=NOW)
    second.record([("k", B, "HTTP 404")], when=NOW - DAY)
    assert second.past(["k", "other", "x"]) == {
        "k": [(NOW - DAY, B), (NOW - 2 * DAY, B)],
        "other": [(NOW - 2 * DAY, OK)],
        "x": [],
    }
    second.keep_answer("q", b"[]")
    assert second.answer("q", 60) == b"[]" and second.answer("r", 60) is None
    second.close()
    assert Cache(path, now=NOW + 120).answer("q", 60) is None


# -- the document and its formats ---------------------------------------------------------

SRC = (Source("episodes/e.md", 7, "notes"),)


def _results() -> list[LinkResult]:
    return [
        LinkResult("https://gone.example/a", SRC, Status.BROKEN, "HTTP 404 Not Found", 404),
        LinkResult("https://new.example/b", SRC, Status.BROKEN, "HTTP 410 Gone", 410),
        LinkResult("https://www.linkedin.com/in/x", SRC, Status.UNVERIFIABLE, "bot wall", 999),
        LinkResult("https://slow.example/", SRC, Status.TIMEOUT, "timed out"),
        LinkResult("https://fine.example/", SRC, Status.OK, "", 200),
    ]


def _context(**changes) -> Context:
    health = {
        "https://gone.example/a": Health(True, NOW - 3 * DAY, 4),
        "https://new.example/b": Health(False, NOW, 1),
    }
    suggestion = Suggestion(
        "https://web.archive.org/web/20200102030405/https://gone.example/a", "20200102030405", 5000
    )
    values = {
        "fail_after": 2,
        "health": health,
        "suggestions": {"https://gone.example/a": suggestion},
        "blob": "https://github.com/o/r/blob/abc/",
    }
    return Context(**{**values, **changes})


def test_exit_codes_keep_the_verdicts_apart():
    results = _results()
    assert build(results, _context())["exit_code"] == 1
    only_warning = [r for r in results if "gone" not in r.url]
    assert build(only_warning, _context())["exit_code"] == 0
    strict = _context(fail_on_unverifiable=True)
    doubtful = frozenset({Status.BROKEN, Status.UNVERIFIABLE, Status.TIMEOUT})
    assert build(only_warning, strict, doubtful)["exit_code"] == 3
    assert build(results, strict, doubtful)["exit_code"] == 1
    written = _context(repair="written", repaired=frozenset({"https://gone.example/a"}))
    assert build(results, written)["exit_code"] == 0  # the files link to the copy now


def test_document_says_since_when_and_what_replaces_it():
    doc = build(_results(), _context())
    by_url = {r["url"]: r for r in doc["results"]}
    gone = by_url["https://gone.example/a"]
    assert gone["verdict"] == "broken" and gone["failing"] and not gone["warning"]
    assert gone["broken_since"] == "1970-04-08T00:00:00Z" and gone["broken_checks"] == 4
    assert gone["suggestion"]["captured"] == "20200102030405"
    assert gone["sources"][0]["href"] == "https://github.com/o/r/blob/abc/episodes/e.md#L7"
    new = by_url["https://new.example/b"]
    assert new["warning"] and not new["failing"] and new["suggestion"] is None
    assert by_url["https://slow.example/"]["verdict"] == "unverifiable"
    assert doc["summary"] == {
        "links": 5,
        "broken": 2,
        "unverifiable": 2,
        "ok": 1,
        "excluded": 0,
        "failing": 1,
        "warnings": 1,
        "suggested": 1,
        "repaired": 0,
    }


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_carries_the_suggestion_and_keeps_verdicts_apart(fmt):
    doc = build(_results(), _context())
    text = FORMATS[fmt](doc, False)
    copy = "https://web.archive.org/web/20200102030405/https://gone.example/a"
    assert copy in text
    if fmt == "json":
        assert json.loads(text) == json.loads(json.dumps(doc))
    elif fmt == "junit":
        root = ET.fromstring(text.encode())
        assert root.get("failures") == "1"
        skipped = [
            c.find("skipped").get("message")
            for c in root.iter("testcase")
            if c.find("skipped") is not None
        ]
        assert sorted(m.split(":")[0] for m in skipped) == ["broken", "timeout", "unverifiable"]
    elif fmt == "github":
        assert text.count("::error ") == 1 and text.count("::warning ") == 1
        assert "linkedin" not in text and "slow.example" not in text
    elif fmt == "markdown":
        sections = re.findall(r"^### (\w+)", text, re.M)
        assert sections == ["Broken", "Unverifiable", "Repaired"]
        assert "[episodes/e.md:7](https://github.com/o/r/blob/abc/episodes/e.md#L7)" in text
        assert "broken since 1970-04-08 (4 checks)" in text
        assert "broken (warning)" in text
    elif fmt == "text":
        titles = [line for line in text.splitlines() if line and not line.startswith(" ")]
        assert titles[:2] == [
            "Broken",
            "Unverifiable (the site does not let a checker see the page)",
        ]
        assert "5 links: 2 broken (1 fails the check), 2 unverifiable, 1 ok" in text
