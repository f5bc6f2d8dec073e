"""After the check: what the GitHub API, the link's history and the Wayback Machine add.

Each step takes the check's results (values) and gives values back: better verdicts for
github.com links, each link's ``Health`` from its history (recorded for the next run), and an
archived ``Suggestion`` for each broken link. ``replacements`` turns the links that fail the
check into the edits ``fix`` makes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from . import github
from .cache import Cache
from .engine import check_key
from .fix import Replacement
from .history import Health, judge
from .probe import OFFLINE
from .types import LinkResult, Suggestion, Verdict
from .wayback import Archive

if TYPE_CHECKING:  # the client's module imports requests: only when a request is made
    from ..net import Client


def ask_github(results: list[LinkResult], client: Client, api: str, token: str) -> list[LinkResult]:
    """github.com links that answered 404 or 429, as GitHub's API tells them (each asked
    once)."""
    told: dict[str, LinkResult] = {}
    out = []
    for result in results:
        if github.asks(result):
            if result.url not in told:
                told[result.url] = github.recheck(client, result, api, token)
            result = told[result.url]
        out.append(result)
    return out


def history(
    results: list[LinkResult], cache: Cache | None, fail_after: int
) -> tuple[dict[str, Health], dict[str, float]]:
    """Each URL's ``Health``, and when each broken URL was last seen working; this check's
    verdicts are recorded for the next run. Without a cache every broken link fails now."""
    keys = {r.url: check_key(r.url) for r in results}
    if cache is None:
        return {r.url: judge(r.verdict, r.kind, None, 0.0, 1) for r in results}, {}
    past = cache.past(set(keys.values()))
    now = cache.now
    health = {r.url: judge(r.verdict, r.kind, past[keys[r.url]], now, fail_after) for r in results}
    seen_ok = {}
    for result in results:
        if result.verdict is Verdict.BROKEN:
            ok = [when for when, verdict in past[keys[result.url]] if verdict is Verdict.OK]
            if ok:
                seen_ok[result.url] = max(ok)
    # a link the network could not be asked about has no verdict to remember
    fresh = {
        keys[r.url]: (r.verdict, r.detail) for r in results if not r.cached and r.kind != OFFLINE
    }
    cache.record((key, verdict, detail) for key, (verdict, detail) in fresh.items())
    return health, seen_ok


def _near(result: LinkResult, dates: Mapping[str, date], seen_ok: Mapping[str, float]):
    """The date a replacement should be near: the linking episode's, else the day the link
    was last seen working, else None (the newest capture)."""
    days = [dates[s.path] for s in result.sources if s.path in dates]
    if days:
        return min(days)
    if result.url in seen_ok:
        return datetime.fromtimestamp(seen_ok[result.url], timezone.utc).date()
    return None


def suggest(
    results: list[LinkResult],
    archive: Archive,
    dates: Mapping[str, date],
    seen_ok: Mapping[str, float],
) -> dict[str, Suggestion]:
    """An archived copy for each broken link the archive may hold (one whose ``kind`` says
    the link itself is wrong, like a malformed URL, is left out)."""
    out: dict[str, Suggestion] = {}
    for result in results:
        if result.verdict is not Verdict.BROKEN or result.kind or result.url in out:
            continue
        found = archive.suggest(result.url, _near(result, dates, seen_ok))
        if found is not None:
            out[result.url] = found
    return out


def replacements(
    results: Iterable[LinkResult], urls: Iterable[str], suggestions: Mapping[str, Suggestion]
) -> list[Replacement]:
    """The edits that put each of ``urls``' archived copy where it stands."""
    wanted = set(urls)
    return [
        Replacement(source, result.url, suggestions[result.url].url)
        for result in results
        if result.url in wanted and result.url in suggestions
        for source in result.sources
    ]
