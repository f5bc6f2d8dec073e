"""The APIs link health asks: which links go to YouTube's oEmbed or GitHub's API, how the
Wayback Machine's captures are read and chosen, and the Archive's rate limit kept exactly."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedgen_pod.linkcheck.github import api_path
from feedgen_pod.linkcheck.wayback import Capture, choose, parse
from feedgen_pod.linkcheck.youtube import video_id
from feedgen_pod.net.limiter import Limiter


@pytest.mark.parametrize(
    ("url", "vid"),
    [
        ("https://www.youtube.com/watch?v=NlKuICiT470&list=PL1&index=7", "NlKuICiT470"),
        ("https://youtube.com/watch?t=42&v=FRi0SUtxdMw", "FRi0SUtxdMw"),
        ("https://m.youtube.com/shorts/abcDEF12345", "abcDEF12345"),
        ("https://www.youtube-nocookie.com/embed/BIguvia6AvM", "BIguvia6AvM"),
        ("https://youtu.be/Rvu7N4wyFpk?t=42", "Rvu7N4wyFpk"),
        ("https://www.youtube.com/live/abcdefghijk", "abcdefghijk"),
        ("https://www.youtube.com/channel/UCaYhcUwRBNscFNUKTjgPFiA", None),
        ("https://www.youtube.com/@DataTalksClub", None),
        ("https://www.youtube.com/playlist?list=PL3MmuxUbc_hIhxl5Ji8t4O6lPAOpHaCLR", None),
        ("https://youtu.be/", None),
        ("https://notyoutube.example/watch?v=NlKuICiT470", None),
        ("http://[::1/x", None),
    ],
)
def test_only_video_links_go_to_oembed(url, vid):
    assert video_id(url) == vid


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://github.com/octo", "/users/octo"),
        ("https://github.com/octo/hello", "/repos/octo/hello"),
        ("https://www.github.com/octo/hello.git", "/repos/octo/hello"),
        ("https://github.com/octo/hello/pull/12/files", "/repos/octo/hello/pulls/12"),
        (
            "https://github.com/octo/hello/blob/main/docs/a b.md",
            "/repos/octo/hello/contents/docs/a%20b.md?ref=main",
        ),
        ("https://github.com/octo/hello/wiki", "/repos/octo/hello"),
        ("https://github.com/topics/python", None),
        ("https://github.com/", None),
        ("https://gist.github.com/octo/1", None),
        ("https://api.github.com/repos/octo/hello", None),
    ],
)
def test_github_links_map_to_api_paths(url, path):
    assert api_path(url) == path


def _cdx(*rows: list[str]) -> bytes:
    return json.dumps(
        [["timestamp", "original", "mimetype", "statuscode", "length"], *rows]
    ).encode()


def test_cdx_answer_is_read_and_odd_rows_are_left_out():
    answer = _cdx(
        ["20210420120000", "http://a.example/", "text/html", "200", "9000"],
        ["20210421", "http://a.example/", "text/html", "200", ""],
        ["2021", "http://a.example/", "text/html", "200", "5"],  # no day
        ["20210422000000", "http://a.example/", "application/pdf", "200", "5000"],
        ["20210423000000", "http://a.example/", "text/html", "404", "5000"],
        ["20210424000000", "http://a.example/"],  # too short
    )
    assert parse(answer) == [
        Capture("20210420120000", "http://a.example/", 9000),
        Capture("20210421", "http://a.example/", 0),
    ]
    for bad in (b"", b"[]", b"{}", b"not json", b"\xff", b"[1, 2]"):
        assert parse(bad) == []


def test_choice_prefers_substance_then_nearness():
    near = date(2021, 5, 4)
    captures = [
        Capture("20210501000000", "u", 300),  # nearest, near-empty
        Capture("20210420120000", "u", 9000),
        Capture("20210601000000", "u", 8000),
        Capture("20190101000000", "u", 40000),
    ]
    # 40000 is the largest: a quarter of it (10000) is the floor, so only it has substance
    assert choose(captures, near).timestamp == "20190101000000"
    assert choose(captures[:3], near).timestamp == "20210420120000"
    assert choose(captures[:3], None).timestamp == "20210601000000"  # no date: the newest
    assert choose([Capture("20210501000000", "u", 300)], near) is None
    assert choose([], near) is None


class _Clock:
    """A fake clock: ``sleep`` moves it on; requests take ``took`` seconds each."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds
        self.slept += seconds


@given(st.lists(st.floats(min_value=0, max_value=5), min_size=1, max_size=120))
def test_limiter_never_lets_more_than_24_in_a_minute(durations):
    clock = _Clock()
    limiter = Limiter(24, 60.0, clock.time, clock.sleep)
    arrivals = []
    for took in durations:
        with limiter:
            arrivals.append(clock.now)  # the server sees it when it starts
            clock.now += took
    assert all(b - a >= 60.0 for a, b in zip(arrivals, arrivals[24:]))
    # and it does not wait when it need not: the first 24 go at once
    if len(durations) <= 24:
        assert clock.slept == 0


def test_limiter_holds_threads_too():
    clock_lock = threading.Lock()
    started: list[float] = []
    limiter = Limiter(3, 0.3)

    def one() -> None:
        with limiter:
            with clock_lock:
                started.append(time.monotonic())
            time.sleep(0.01)

    threads = [threading.Thread(target=one) for _ in range(9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    started.sort()
    assert len(started) == 9
    assert all(b - a >= 0.3 for a, b in zip(started, started[3:]))
