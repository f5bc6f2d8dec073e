"""``feedgen-pod sizes``: ask the audio host once for each file size the episodes do not give.

Each audio URL whose size is in no front matter, no media folder and not yet in the sizes file
gets one ``HEAD`` request; its ``Content-Length`` is written to the sizes file, which every
build then reads (the build itself never reaches the network). Requests go one at a time,
with ``--interval`` seconds between two to the same host, through the project's one network
client (its address checks, deadline and redirect rules).
"""

from __future__ import annotations

import argparse
import sys
import time
from urllib.parse import urlsplit

from ..errors import Problem
from ..load.episodes import load_episode
from ..load.show import discover
from ..load.sizes import local_size, read_sizes, write_sizes
from ..model import UNKNOWN_LENGTH, Show
from ..net import Client, NetError, clean_text, policy_for
from .common import (
    EXIT_INPUT,
    EXIT_OK,
    add_network_arguments,
    add_show_arguments,
    load_show_config,
    network_section,
    print_problems,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sizes",
        help="ask the audio host once for each file size the episodes do not give",
        description="For each audio URL whose file size is in no front matter, no media folder "
        "and not yet in the sizes file (.cache/feedgen-pod/sizes.json in the project), send "
        "one HEAD request and keep its Content-Length there for every later build.",
    )
    add_show_arguments(parser)
    parser.add_argument(
        "--refresh", action="store_true", help="ask again for URLs the sizes file already has"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="S",
        help="seconds between two requests to the same host (default 1)",
    )
    add_network_arguments(parser)
    parser.set_defaults(func=run)


def wanted_urls(show: Show, refresh: bool = False) -> tuple[list[str], list[Problem]]:
    """The audio URLs whose size only the host can tell, in file order, each once."""
    sources = discover(show, drafts=True)
    problems = list(sources.problems)
    known = {} if refresh else read_sizes(show.site.sizes_file)
    urls: list[str] = []
    for path in sources.files:
        episode = load_episode(
            path,
            sources.people,
            [],
            sources.show.hosts,
            None,
            sources.site,
        )
        if episode is None or episode.audio is None:
            continue
        for enclosure in (episode.audio.enclosure, *episode.audio.alternates):
            url = enclosure.url
            if enclosure.length != UNKNOWN_LENGTH or url in known or url in urls:
                continue
            if local_size(show.media_dir, url) is None:
                urls.append(url)
    return urls, problems


def content_length(client: Client, url: str) -> int:
    """The file's size from a HEAD answer; ``ValueError`` saying why there is none."""
    response = client.request("HEAD", url)
    if response.status >= 400:
        raise ValueError(f"the server answered {response.status}")
    value = response.headers.get("Content-Length", "").strip()
    if not value.isdigit():
        raise ValueError("the answer has no Content-Length")
    return int(value)


def run(args: argparse.Namespace) -> int:
    show = load_show_config(args)
    assert show.site.sizes_file is not None
    urls, problems = wanted_urls(show, args.refresh)
    print_problems([p for p in problems if p.is_error])
    sizes = dict(read_sizes(show.site.sizes_file))
    failed = 0
    last: dict[str, float] = {}
    policy = policy_for(network_section(args.config), args.timeout, args.allow_private)
    with Client(policy) as client:
        for url in urls:
            host = urlsplit(url).netloc
            wait = last.get(host, -args.interval) + args.interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            last[host] = time.monotonic()
            try:
                sizes[url] = content_length(client, url)
            except NetError as exc:
                failed += 1
                print(f"{clean_text(url)}: {exc.message}", file=sys.stderr)
            except ValueError as exc:
                failed += 1
                print(f"{clean_text(url)}: {exc}", file=sys.stderr)
    if len(urls) > failed:
        write_sizes(show.site.sizes_file, sizes)
    print(
        f"asked {len(urls)} URLs: {len(urls) - failed} sizes kept in "
        f"{show.site.sizes_file}, {failed} failed"
    )
    return EXIT_INPUT if failed else EXIT_OK
