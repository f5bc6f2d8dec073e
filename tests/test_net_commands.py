"""Every command that reaches the network, against a loopback server that misbehaves on
purpose: ``diff URL`` (exit 2 and a message), ``build --audio-feed URL`` (a problem with its
kind), ``publish``'s notifications (a line per endpoint, every endpoint tried, exit 1). Each
case ends within its deadline, with no traceback and nothing a terminal would act on."""

from __future__ import annotations

import contextlib
import io
import traceback
from pathlib import Path

import pytest
from hostile_kit import make_show, run_build
from netserver import NetServer
from test_publish import FILES, write_dist
from test_publish_notify import write_config

from feedgen_pod.cli import main

DEADLINE = "1"
#: what a misbehaving server does, and the words that must name it
HOSTILE = [
    ("/trickle-headers", "no complete answer within"),
    ("/trickle-body", "no complete answer within"),
    ("/stall", "no complete answer within 1 s"),
    ("/truncated", "ended before its end"),
    ("/bad-chunk", "bad chunk size"),
    ("/bad-gzip", "not the encoding it claims"),
    ("/garbage", "not a valid HTTP answer"),
    ("/to?url=http://169.254.169.254/latest/meta-data/", "a link-local address"),
    ("/control-404", "HTTP 404 Gone"),
]


@pytest.fixture
def srv():
    with NetServer("127.0.0.2") as server:
        yield server


def cli(*argv: str) -> tuple[int, str, str]:
    """``feedgen-pod ARGV`` in-process: exit code, stdout, stderr; a traceback fails.

    That a deadline ended a request shows in the words it gives ("no complete answer within
    1 s") against servers that would otherwise answer wrongly long after: no clock is read."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
        except BaseException:
            raise AssertionError("traceback escaped the CLI:\n" + traceback.format_exc()) from None
    return code, out.getvalue(), err.getvalue()


def clean(text: str) -> bool:
    """Nothing a terminal acts on: no escape, no NUL, no control character but newline/tab."""
    return not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0 for c in text)


@pytest.mark.parametrize("path, words", HOSTILE)
def test_diff_url_ends_with_exit_2_and_a_message(srv, tmp_path: Path, path: str, words: str):
    new = tmp_path / "feed.xml"
    new.write_bytes(b'<rss version="2.0"><channel><title>x</title></channel></rss>')
    url = srv.url(path)
    code, out, err = cli("diff", url, str(new), "--timeout", DEADLINE, "--allow-private")
    assert code == 2 and out == ""
    assert err.startswith("error: cannot read ") and words in err, err
    assert clean(err)


def test_diff_url_refuses_a_local_address_without_allow_private(srv, tmp_path: Path):
    code, _, err = cli("diff", srv.url("/feed.xml"), str(tmp_path / "x.xml"))
    assert code == 2 and "refused (--allow-private lifts this)" in err
    assert not srv.hits


def test_diff_url_reads_a_gzip_feed(srv, tmp_path: Path):
    new = tmp_path / "feed.xml"
    new.write_bytes(b'<rss version="2.0"><channel><title>Live</title></channel></rss>')
    code, out, _ = cli("diff", srv.url("/gzip-feed"), str(new), "--allow-private")
    assert code == 1 and "guid-removed" in out  # read, compared: the new feed lost its item


@pytest.mark.parametrize("path, words", HOSTILE)
def test_build_audio_feed_url_is_one_problem_with_its_kind(tmp_path: Path, srv, path, words):
    config = make_show(tmp_path, {})
    run = run_build(
        config, tmp_path / "dist", "--audio-feed", srv.url(path), "--timeout", DEADLINE,
        "--allow-private",
    )  # fmt: skip
    lines = run.problems_for("cannot fetch the host feed")
    assert run.code == 1 and len(lines) == 1 and words in lines[0], run.stderr
    assert srv.url(path).split("?")[0] in lines[0]
    assert clean(run.stderr)
    assert (tmp_path / "dist" / "feed.xml").exists()  # the build went on without the audio


def test_the_network_timeout_config_key_is_the_default(tmp_path: Path, srv):
    config = make_show(tmp_path, {})
    config.write_text(config.read_text() + "network:\n  timeout: 1\n  allow_private: true\n")
    run = run_build(config, tmp_path / "dist", "--audio-feed", srv.url("/trickle-headers"))
    assert "host-feed-unreachable" in run.stderr and "no complete answer within 1 s" in run.stderr


def test_a_bad_network_section_stops_with_its_key(tmp_path: Path):
    config = make_show(tmp_path, {})
    config.write_text(config.read_text() + "network:\n  timeout: forever\n")
    run = run_build(config, tmp_path / "dist")
    assert run.code == 2 and "network" in run.stderr and "timeout" in run.stderr


def test_publish_tells_every_endpoint_and_says_which_failed(tmp_path: Path, srv):
    with NetServer("127.0.0.3") as fine, NetServer("127.0.0.4") as internal:
        hubs = [srv.url(p) for p, _ in HOSTILE if not p.startswith("/to")]
        hubs += [
            srv.url("/retry-weird"),  # 503 with Retry-After: ² (no time left to retry)
            srv.url(f"/to?status=307&url={internal.url('/500')}"),  # a POST to another port
            srv.url(f"/to?status=302&url={internal.url('/500')}"),
            srv.url("/to?url=http://169.254.169.254/latest/meta-data/"),
            srv.url("/control"),
        ]
        section = "  websub_hubs:\n" + "".join(f"    - {h}\n" for h in hubs)
        section += f"  notify_urls:\n    - {fine.url('/ok')}\n"
        config = write_config(tmp_path / "show", section)
        dist = write_dist(tmp_path / "dist", FILES)
        site = tmp_path / "site"
        code, out, err = cli(
            "publish", "--config", str(config), "--dist", str(dist), "--to", str(site),
            "--timeout", DEADLINE,
        )  # fmt: skip
        assert not internal.hits  # no redirect reached the other local service
    assert code == 1
    failed = [line for line in err.splitlines() if line.startswith("error: notification failed")]
    told = [line for line in out.splitlines() if line.startswith("notified")]
    assert len(failed) == len(hubs) and len(told) == 1, (out, err)
    for hub in hubs:  # a line for each, naming it
        assert sum(f"WebSub hub {hub}: " in line for line in failed) == 1, hub
    assert any("/retry-weird: 503 Busy: busy" in line for line in failed)
    assert fine.hits["/ok"] == 1 and fine.url("/ok") in told[0]
    assert "another origin" in err and "refused" in err
    assert "hunter2" not in out + err  # what the internal service said is never shown
    assert clean(out + err) and "('" not in err  # no raw exception tuple
    assert (site / "feed.xml").exists()  # the upload stands


def test_publish_without_a_config_timeout_uses_the_flag(tmp_path: Path, srv):
    section = f"  websub_hubs: [{srv.url('/stall-before')}]\n"
    config = write_config(tmp_path / "show", section + "network:\n  timeout: 60\n")
    dist = write_dist(tmp_path / "dist", FILES)
    code, _, err = cli(
        "publish", "--config", str(config), "--dist", str(dist), "--to", str(tmp_path / "s"),
        "--timeout", DEADLINE,
    )  # fmt: skip
    assert code == 1 and "within 1 s" in err


def test_publish_to_a_private_hub_by_name_is_allowed(tmp_path: Path, srv):
    config = write_config(tmp_path / "show", f"  websub_hubs: [{srv.url('/ok')}]\n")
    dist = write_dist(tmp_path / "dist", FILES)
    code, out, _ = cli(
        "publish", "--config", str(config), "--dist", str(dist), "--to", str(tmp_path / "s")
    )
    assert code == 0 and f"notified WebSub hub {srv.url('/ok')}: 200 OK" in out


def test_diff_and_build_refuse_a_redirect_to_another_local_port(tmp_path: Path, srv):
    """The feed's own server is allowed by name (network.allow_hosts); a redirect from it to
    another local service is not followed, and that service is never asked."""
    with NetServer("127.0.0.3") as other:
        config = make_show(tmp_path, {})
        config.write_text(config.read_text() + f"network:\n  allow_hosts: ['{srv.hostport}']\n")
        hop = srv.url(f"/to?url={other.url('/feed.xml')}")
        code, _, err = cli("diff", hop, str(tmp_path / "x.xml"), "--config", str(config))
        assert code == 2 and "private or loopback address; refused" in err, err
        run = run_build(config, tmp_path / "dist", "--audio-feed", hop)
        lines = run.problems_for("cannot fetch the host feed (refused-address)")
        assert run.code == 1 and len(lines) == 1 and other.url("/feed.xml") in lines[0]
        assert not other.hits
        code, out, _ = cli("diff", srv.url("/feed.xml"), str(tmp_path / "dist/feed.xml"),
                              "--config", str(config))  # fmt: skip
        assert code in (0, 1) and out.startswith("feed diff:")  # the allowed host is read
