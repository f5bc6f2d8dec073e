"""``feedgen-pod check-links``: every external link of the show, checked, in the chosen format.

Exit codes: 0 nothing fails; 1 a broken link fails the check; 2 a usage or config error;
3 (only with ``--fail-on-unverifiable``) no broken link fails but an unverifiable one does;
4 the network is unreachable (no link could be checked, none is reported broken).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from .. import net
from ..config import build_show, check_config, read_config
from ..errors import ConfigError, display_path
from ..linkcheck import fix, github, health
from ..linkcheck.cache import Cache
from ..linkcheck.collect import collect
from ..linkcheck.engine import Engine
from ..linkcheck.policy import Settings, from_config, net_policy, parse_age
from ..linkcheck.report import FORMATS
from ..linkcheck.report.document import Context, build
from ..linkcheck.types import DOUBTFUL, FAILING, Link, LinkResult
from ..linkcheck.wayback import Archive
from ..load.show import discover, load_episodes
from ..model import Show
from ..net import NetPolicy
from ..net.limiter import Limiter
from ..progress import Progress
from .common import (
    EXIT_OFFLINE,
    EXIT_USAGE,
    add_network_arguments,
    add_report_file_arguments,
    add_show_arguments,
    print_problems,
    with_folders,
    write_report,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-links",
        help="check every external link of the episodes, people and config",
        description="Find every external URL (front matter, show notes, people profiles, "
        "config), check each once, politely and concurrently, and report each place it stands: "
        "ok, broken or unverifiable. Exit 1 when a broken link fails the check, 3 when only "
        "unverifiable ones do (with --fail-on-unverifiable), 2 on a usage or config error.",
    )
    add_show_arguments(parser)
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="REGEX",
        help="only check URLs matching this (repeatable; adds to links.include)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REGEX",
        help="skip URLs matching this (repeatable; adds to links.exclude)",
    )
    add_report_file_arguments(parser, sorted(FORMATS))
    parser.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="also append the Markdown report to FILE (a job summary: $GITHUB_STEP_SUMMARY)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="FILE",
        help="SQLite cache of results and history (default: links.cache or .cache/links.sqlite)",
    )
    parser.add_argument(
        "--max-age",
        metavar="AGE",
        help="reuse good cached results younger than this (seconds, or 12h, 7d; default 1d)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache (no history: every broken link fails)",
    )
    parser.add_argument(
        "--fail-after",
        type=int,
        metavar="N",
        help="fail only for links broken in the last N checks, the first a day or more ago "
        "(default: links.fail_after or 2; 1 fails at the first failure)",
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="allow private and loopback addresses (for tests; link-local ones only by name, "
        "in network.allow_hosts)",
    )
    parser.add_argument(
        "--fail-on-unverifiable",
        action="store_true",
        help="also fail (exit 3) for unverifiable and timed-out links",
    )
    parser.add_argument(
        "--suggest",
        action="store_true",
        help="find an archived copy (Wayback Machine) of each broken link for the report",
    )
    parser.add_argument(
        "--fix",
        nargs="?",
        const=Path("links.patch"),
        type=Path,
        metavar="PATCH",
        help="write a patch (default links.patch) replacing each dead link by its archived copy "
        "at its line; implies --suggest",
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="with --fix: also make the replacements in the files",
    )
    add_network_arguments(
        parser,
        private=False,
        timeout_help="seconds each request of a check (a redirect hop, a HEAD, a GET) may "
        "take, connecting and the whole answer included (default: links.deadline, else "
        "network.timeout, else 30)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no loader warnings")
    parser.set_defaults(func=run)


def _settings(args: argparse.Namespace, values: dict) -> Settings:
    """The ``links:`` section with the command line's flags over it."""
    settings = from_config(values.get("links", {}))
    for pattern in [*args.include, *args.exclude]:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"--include/--exclude: {pattern!r} is not a valid regex: {exc}"
            ) from None
    if args.fail_after is not None and args.fail_after < 1:
        raise ConfigError(f"--fail-after: expected a whole number >= 1, got {args.fail_after}")
    if args.write and args.fix is None:
        raise ConfigError("--write: only with --fix (the changes it writes are the patch's)")
    settings = replace(
        settings,
        include=settings.include + tuple(args.include),
        exclude=settings.exclude + tuple(args.exclude),
        allow_private=settings.allow_private or args.allow_private,
        fail_on_unverifiable=settings.fail_on_unverifiable or args.fail_on_unverifiable,
        fail_after=args.fail_after or settings.fail_after,
    )
    if args.max_age is not None:
        settings = replace(settings, max_age=parse_age(args.max_age, "--max-age"))
    if args.cache is not None:
        settings = replace(settings, cache=args.cache)
    return settings


def run(args: argparse.Namespace) -> int:
    """Check every link: the config is read and validated first (a config error is exit 2
    before any request), then the show is loaded, its links checked, and the GitHub API,
    the history and the archive asked what they add."""
    data, lines = read_config(args.config)
    values = check_config(args.config, data, lines)
    settings, policy = _network(_settings(args, values), values, args.timeout)
    links, dates = _collected(args, build_show(values, args.config, lines))

    cache = None
    if not args.no_cache:
        try:
            cache = Cache(settings.cache)
        except OSError as exc:
            print(
                f"warning: cache {settings.cache} unusable ({exc}); checking without it",
                file=sys.stderr,
            )
    progress = Progress.for_terminal(len(links), quiet=args.quiet)
    try:
        update = progress.update if progress.enabled else None
        engine = Engine(settings, cache, update, policy=policy)
        results = engine.run(links)
        progress.close()
        if engine.offline:  # not one host could be looked up or reached: no link is to blame
            print(
                "error: the network is unreachable: no host could be looked up or connected "
                "to, so no link was checked (none is reported broken, nothing is cached)",
                file=sys.stderr,
            )
            return EXIT_OFFLINE
        results, context = _after(args, settings, policy, results, dates, cache)
    finally:
        progress.close()
        if cache:
            cache.close()
    return _report(args, settings, results, context)


def _after(
    args: argparse.Namespace,
    settings: Settings,
    policy: NetPolicy,
    results: list[LinkResult],
    dates: dict[str, date],
    cache: Cache | None,
) -> tuple[list[LinkResult], Context]:
    """The GitHub API, the history and the archive over the check's results (a network
    client made only when one of them is asked)."""
    token = os.environ.get("GITHUB_TOKEN", "").strip()
    suggest = args.suggest or args.fix is not None
    if not (suggest or (token and any(github.asks(r) for r in results))):
        return _assess(args, settings, results, dates, cache, None, token)
    with net.Client(policy) as client:
        return _assess(args, settings, results, dates, cache, client, token)


def _assess(
    args: argparse.Namespace,
    settings: Settings,
    results: list[LinkResult],
    dates: dict[str, date],
    cache: Cache | None,
    client: net.Client | None,
    token: str,
) -> tuple[list[LinkResult], Context]:
    if token and client is not None:
        results = health.ask_github(results, client, settings.github_api, token)
    healths, seen_ok = health.history(results, cache, settings.fail_after)
    context = Context(
        fail_after=settings.fail_after,
        fail_on_unverifiable=settings.fail_on_unverifiable,
        health=healths,
        blob=_blob(),
    )
    if client is None:
        return results, context
    limiter = Limiter(settings.archive_requests, settings.archive_window)
    archive = Archive(client, settings, cache, limiter)
    suggestions = health.suggest(results, archive, dates, seen_ok)
    if archive.stopped and not args.quiet:
        print(f"warning: {archive.stopped}; some links have no suggestion", file=sys.stderr)
    context = replace(context, suggestions=suggestions)
    if args.fix is None:
        return results, context
    doc = build(results, context, _failing(settings))
    dead = [item["url"] for item in doc["results"] if item["failing"] and item["suggestion"]]
    found = fix.plan(health.replacements(results, dead, suggestions))
    for item, why in found.skipped:
        print(
            f"{item.source.path}:{item.source.line}: {item.old}: not replaced ({why})",
            file=sys.stderr,
        )
    waiting = sum(1 for i in doc["results"] if i.get("warning") and i.get("suggestion"))
    if waiting and not args.quiet:
        print(
            f"note: {waiting} broken link(s) with a replacement are not in the patch until they "
            f"fail the check (--fail-after {settings.fail_after}); --fail-after 1 takes them now",
            file=sys.stderr,
        )
    if not found.texts:
        if not args.quiet:
            print("no dead link to replace: no patch written", file=sys.stderr)
        return results, replace(context, repair="patch", patch=None)
    try:
        fix.write_patch(found, args.fix)
        if args.write:
            fix.write_files(found)
    except OSError as exc:
        raise ConfigError(f"--fix: cannot write ({exc.strerror or exc})") from None
    repaired = frozenset(r.old for r in found.done)
    mode = "written" if args.write else "patch"
    return results, replace(context, repair=mode, patch=display_path(args.fix), repaired=repaired)


def _network(settings: Settings, values: dict, timeout: float | None) -> tuple[Settings, NetPolicy]:
    """The settings with the deadline that applies (``--timeout``, else ``links.deadline``,
    else ``network.timeout``) and the client's policy, with the ``network:`` section's
    allowances and CA bundle."""
    network = values.get("network") or {}
    if timeout is None and "deadline" not in (values.get("links") or {}):
        timeout = network.get("timeout")
    if timeout is not None:
        settings = replace(settings, deadline=timeout)
    if network.get("allow_private"):
        settings = replace(settings, allow_private=True)
    policy = net_policy(settings)
    allowed = policy.allow_hosts | network.get("allow_hosts", frozenset())
    return settings, replace(policy, allow_hosts=allowed, ca_file=network.get("ca_file"))


def _failing(settings: Settings) -> frozenset:
    return FAILING | (DOUBTFUL if settings.fail_on_unverifiable else frozenset())


def _report(
    args: argparse.Namespace,
    settings: Settings,
    results: list[LinkResult],
    context: Context,
) -> int:
    doc = build(results, context, _failing(settings))
    to_tty = args.output is None and sys.stdout.isatty()
    if not write_report(FORMATS[args.format](doc, to_tty), args.output):
        return EXIT_USAGE
    if args.summary is not None:
        try:
            with args.summary.open("a", encoding="utf-8") as out:
                out.write(FORMATS["markdown"](doc, False))
        except OSError as exc:
            print(f"error: cannot write {args.summary}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    return int(doc["exit_code"])


def _blob() -> str | None:
    """Where GitHub shows this commit's files (``…/blob/<sha>/`` plus the working folder's
    place in the repository), from the variables every GitHub Actions job has."""
    server, repo, sha = (
        os.environ.get(k, "").strip()
        for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    )
    if not (server and repo and sha):
        return None
    base = f"{server.rstrip('/')}/{repo}/blob/{sha}/"
    workspace = os.environ.get("GITHUB_WORKSPACE", "").strip()
    if workspace:
        try:
            inside = Path.cwd().resolve().relative_to(Path(workspace).resolve())
        except ValueError:
            return None  # the files are not in the repository
        if str(inside) != ".":
            base += inside.as_posix() + "/"
    return base


def _collected(args: argparse.Namespace, show: Show) -> tuple[list[Link], dict[str, date]]:
    """Every link of the loaded show, with its places, and each episode file's date; the
    loader's errors on stderr."""
    sources = discover(with_folders(show, args))
    problems = list(sources.problems)
    episodes = list(load_episodes(sources, problems))
    print_problems([p for p in problems if p.is_error], quiet=args.quiet)
    dates = {display_path(ep.source): ep.pub_date for ep in episodes if ep.pub_date}
    return collect(sources.show, sources.people, episodes), dates
