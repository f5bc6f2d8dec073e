"""github.com links asked of GitHub's API when the page cannot tell.

github.com answers 429 to checkers that ask often, and 404 both for a repository that is gone
and for a private one. With a ``GITHUB_TOKEN`` (every GitHub Actions job has one), such a link
is asked of the REST API instead, which tells them apart: a rate limit or a private repository
is unverifiable, a repository the API does not know either is broken, one it knows is ok. The
token is sent to the API root (``links.github_api``) and nowhere else; the network client never
carries it along a redirect to another origin.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from ..net import NetError
from .types import LinkResult, Status

if TYPE_CHECKING:  # the client's module imports requests: only when a request is made
    from ..net import Client

#: first path parts of github.com that are GitHub's own pages, not users or organisations
_RESERVED = frozenset(
    {
        "about", "apps", "collections", "contact", "customer-stories", "enterprise", "events",
        "explore", "features", "login", "marketplace", "new", "notifications", "orgs",
        "organizations", "pricing", "search", "security", "settings", "site", "sponsors",
        "topics", "trending", "join", "team", "readme", "pulls", "issues", "codespaces",
    }
)  # fmt: skip
#: page statuses after which the API is asked
ASKED_AFTER = frozenset({404, 429})


def api_path(url: str) -> str | None:
    """The API path that tells whether ``url``'s page is there, or None for other links.

    >>> api_path("https://github.com/octo/hello/issues/7")
    '/repos/octo/hello/issues/7'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if (parts.hostname or "").lower() not in ("github.com", "www.github.com"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if not segments or segments[0].lower() in _RESERVED:
        return None
    owner = quote(segments[0])
    if len(segments) == 1:
        return f"/users/{owner}"
    repo = quote(segments[1].removesuffix(".git"))
    rest = segments[2:]
    if len(rest) >= 2 and rest[0] in ("issues", "pull") and rest[1].isdigit():
        return f"/repos/{owner}/{repo}/{'issues' if rest[0] == 'issues' else 'pulls'}/{rest[1]}"
    if len(rest) >= 3 and rest[0] in ("blob", "tree"):
        path = "/".join(quote(s) for s in rest[2:])
        return f"/repos/{owner}/{repo}/contents/{path}?ref={quote(rest[1], safe='')}"
    return f"/repos/{owner}/{repo}"


def asks(result: LinkResult) -> bool:
    """Whether ``result`` is one the API should be asked about."""
    return result.http_status in ASKED_AFTER and api_path(result.url) is not None


def recheck(client: Client, result: LinkResult, api: str, token: str) -> LinkResult:
    """``result`` as GitHub's API tells it (unchanged when the API cannot tell either)."""
    path = api_path(result.url)
    if path is None:
        return result
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }
    try:
        answer = client.request("GET", api + path, headers=headers, max_bytes=1_000_000)
    except NetError as exc:
        return replace(result, detail=f"{result.detail}; GitHub API unreachable ({exc.kind})")
    code = answer.status
    page = f"the page answered {result.http_status}"
    if code == 200:
        try:
            private = bool(answer.json().get("private")) if path.count("/") == 3 else False
        except (NetError, AttributeError):
            private = False
        if private:
            return replace(
                result,
                status=Status.UNVERIFIABLE,
                detail=f"a private repository (GitHub API); {page} to visitors without access",
            )
        return replace(result, status=Status.OK, detail=f"there, says the GitHub API ({page})")
    if code == 404:
        return replace(
            result,
            status=Status.BROKEN,
            detail=f"GitHub's API does not know it either (HTTP 404); {page}",
        )
    limited = code == 429 or (code == 403 and answer.headers.get("x-ratelimit-remaining") == "0")
    if limited:
        why = "the GitHub API's rate limit is reached"
    elif code == 401:
        why = "the GitHub API refused GITHUB_TOKEN (HTTP 401)"
    else:
        why = f"the GitHub API answered {code}"
    if result.http_status == 429:
        return replace(result, status=Status.UNVERIFIABLE, detail=f"{why}; {page}")
    return replace(result, detail=f"{result.detail}; {why}")
