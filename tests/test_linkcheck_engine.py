"""The engine's one-match path for plain URLs agrees with the long way for every URL."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedgen_pod.linkcheck.check import host_key
from feedgen_pod.linkcheck.engine import _SIMPLE, Engine, _simple, check_key
from feedgen_pod.linkcheck.policy import Settings

_ENGINE = Engine(Settings())

#: pieces URLs are made of, odd ones included: case, ports out of range, empty queries,
#: fragments, spaces and other characters ``urlsplit`` or ``strip`` treat specially
_PIECES = st.sampled_from(
    [
        "http", "https", "HTTP", "ftp", "://", ":", "//", "/", "?", "#", "&", "=", "a", "Z",
        "0", "9", ".", "-", "_", "~", "%20", "%", "@", "[", "]", "[::1]", " ", "\t", "\n",
        "\x1c", "\xa0", "é", "youtube.com", "youtu.be", "www.", "t=3", "v=x", "65535",
        "65536", "99999", "00080", "example.org", "127.0.0.2", ";", ",", "(", ")", "'", "!",
    ]
)  # fmt: skip
_URLS = st.one_of(
    st.from_regex(_SIMPLE, fullmatch=True),
    st.lists(_PIECES, max_size=12).map("".join),
    st.builds(
        lambda scheme, host, port, path, query: f"{scheme}://{host}{port}{path}{query}",
        st.sampled_from(["http", "https", "Http"]),
        st.from_regex(r"[a-z0-9.-]{1,12}|[a-zA-Z0-9.-]{1,12}", fullmatch=True),
        st.sampled_from(["", ":", ":0", ":80", ":8080", ":65535", ":65536", ":99999", ":007"]),
        st.lists(_PIECES, max_size=6).map(lambda p: "/" + "".join(p) if p else ""),
        st.sampled_from(["", "?", "?a=1", "?a=1&t=5", "?x#y", "#frag", "?q= space"]),
    ),
)


@settings(max_examples=800, deadline=None)
@given(_URLS)
@example("http://127.0.0.2:18931/p/1")
@example("https://www.youtube.com/watch?v=x&t=3")
@example("https://example.org?")
@example("https://example.org/a#")
@example("https://example.org:0/")
def test_simple_path_agrees_with_the_long_way(url: str) -> None:
    host = _simple(url)
    if host is None:
        return
    assert check_key(url) == url
    assert host_key(url) == host
    assert _ENGINE.prefilter(url) is None


def test_simple_path_takes_plain_links_only() -> None:
    assert _simple("http://127.0.0.2:18931/p/1") == "127.0.0.2:18931"
    assert _simple("https://example.org/a?b=c") == "example.org:"
    for url in (
        "https://Example.org/",
        "https://example.org/#top",
        "https://example.org/?",
        " https://example.org/",
        "https://www.youtube.com/watch?v=x",
        "mailto:a@example.org",
    ):
        assert _simple(url) is None
