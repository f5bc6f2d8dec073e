"""One whole check of one URL: the redirect chain, HEAD falling back to GET, soft 404s."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from http.cookiejar import CookieJar
from urllib.parse import urlsplit
from urllib.request import Request

from ..net import Client, redirect_target
from . import soft404, youtube
from .artwork import COVER, RANGE_HEADERS, judge
from .policy import Settings
from .probe import (
    PERMANENT,
    REDIRECTS,
    Answer,
    Attempt,
    classify,
    fetch,
    from_error,
    hostname,
    refused_scheme,
)
from .types import Status

#: HEAD answers after which GET is asked instead (servers that answer HEAD wrongly)
_HEAD_DOUBT = 400


class Unconfirmed(Exception):
    """A HEAD 404/410 from a host not yet known to answer HEAD properly: ask again later."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


@lru_cache(maxsize=1024)
def host_key(url: str) -> str:
    """``host:port`` of ``url`` (asked for several times a check: kept for recent URLs)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{(parts.hostname or '').lower()}:{port or ''}"


class Checker:
    """Checks URLs through one network client; remembers hosts that answer HEAD wrongly."""

    def __init__(self, settings: Settings, client: Client):
        self.settings = settings
        #: every request of the checks, the links' and the APIs' (YouTube's oEmbed)
        self._client = client
        self._no_head: set[str] = set()
        #: hosts whose HEAD 404s a GET confirmed: after two, their HEAD 404 is believed
        self._head_agreed: Counter[str] = Counter()
        #: hosts that answered some HEAD with 2xx: they route HEAD, so their 404 is believed
        self._head_ok: set[str] = set()
        self._lock = threading.Lock()

    def _get_or_head(
        self, url: str, defer: bool = False, head_status: int | None = None, cookie: str = ""
    ) -> Answer:
        """HEAD where the host answers it properly, else (or to confirm a doubtful HEAD) GET.

        A HEAD 404/410 is believed from a host that has answered some HEAD with 2xx in this run
        (it routes HEAD, so its 404 is real) or whose HEAD 404s two GETs agreed with. Before
        that, with ``defer``, it is not confirmed at once but handed back (``Unconfirmed``) to
        be asked again later, with ``head_status``: by then the host has usually proven itself
        and no GET is needed.
        """
        key = host_key(url)
        rule = self.settings.rule(hostname(url))
        if not rule.head or key in self._no_head:
            return fetch(self._client, "GET", url, self.settings, cookie)
        if head_status is not None:
            if self._believed(key):
                return Answer(head_status, {}, b"")
            head = Answer(head_status, {}, b"")
        else:
            head = fetch(self._client, "HEAD", url, self.settings, cookie)
            if 200 <= head.status < 300 and key not in self._head_ok:
                with self._lock:
                    self._head_ok.add(key)
            if head.status in (404, 410) and not self._believed(key) and defer:
                raise Unconfirmed(head.status)
        doubtful = _HEAD_DOUBT <= head.status < 500 and head.status != 429
        trusted = head.status in (404, 410) and self._believed(key)
        if (not doubtful or trusted) and head.status != 501:
            return head
        get = fetch(self._client, "GET", url, self.settings, cookie)
        with self._lock:
            if get.status < 400 and head.status in (405, 501):
                self._no_head.add(key)
            elif get.status == head.status:
                self._head_agreed[key] += 1
        return get

    def client(self) -> Client:
        """The network client, for the checks through an API."""
        return self._client

    def _believed(self, key: str) -> bool:
        """Whether this host's HEAD 404 is taken without a GET."""
        return key in self._head_ok or self._head_agreed[key] >= 2

    def settled(self, url: str, head_status: int) -> Attempt | None:
        """The result of a deferred HEAD 404 without any request, once its host is believed."""
        if not self._believed(host_key(url)):
            return None
        return classify(url, Answer(head_status, {}, b""), self.settings)

    def attempt(self, url: str, head_status: int | None = None) -> Attempt:
        """Follow ``url`` to its final answer once; errors become results.

        A first-hop HEAD 404 that needs confirming comes back as status None with
        ``retry="confirm"``; the scheduler asks again with ``head_status`` set.

        Cookies set along the chain are sent on its later hops (the standard library's jar,
        for this chain only): some sites answer a first visit with a cookie and a redirect to
        the same page, which without the cookie looks like a loop.
        """
        current = url
        seen = {(url.split("#")[0], "")}
        jar = CookieJar()
        first_permanent: bool | None = None
        hops = 0
        while True:
            try:
                if hops:
                    answer = self._get_or_head(current, cookie=_cookie(jar, current))
                else:
                    answer = self._get_or_head(current, head_status is None, head_status)
            except Unconfirmed as exc:
                return Attempt(None, "HEAD answered 404; to confirm", exc.status, retry="confirm")
            except Exception as exc:
                result = from_error(exc)
                if hops and result.status is Status.BROKEN:
                    return Attempt(
                        result.status, f"redirect to {current}: {result.detail}", final_url=current
                    )
                return result
            _keep(jar, current, answer.headers)
            location = answer.headers.get("Location")
            if answer.status in REDIRECTS and location:
                target = redirect_target(current, location)
                hops += 1
                if first_permanent is None:
                    first_permanent = answer.status in PERMANENT
                if hops > self.settings.max_redirects:
                    return Attempt(
                        Status.BROKEN,
                        f"more than {self.settings.max_redirects} redirects",
                        answer.status,
                        target,
                    )
                # the same URL again is a loop unless a cookie set on the way changes the
                # request (sites that set a session cookie and redirect back to the page)
                visit = (target.split("#")[0], _cookie(jar, target))
                if visit in seen:
                    return Attempt(
                        Status.BROKEN, f"redirect loop at {target}", answer.status, target
                    )
                refused = refused_scheme(target)
                if refused:
                    return Attempt(
                        Status.BROKEN, f"redirect to {target}: {refused}", answer.status, target
                    )
                seen.add(visit)
                current = target
                continue
            result = classify(current, answer, self.settings)
            break
        if result.status is not Status.OK or not hops:
            return Attempt(
                result.status,
                result.detail,
                result.http_status,
                current if hops else None,
                result.retry,
                result.retry_after,
            )
        if first_permanent:
            return Attempt(
                Status.REDIRECTED,
                f"moved permanently; update the link to {current}",
                result.http_status,
                current,
            )
        return Attempt(Status.OK, f"temporary redirect to {current}", result.http_status, current)

    def soft404(self, url: str, attempt: Attempt) -> Attempt:
        """Ask a public endpoint whether a 200 page is really there."""
        found = soft404.endpoint_for(attempt.final_url or url, self.settings)
        if found is None and attempt.final_url:
            found = soft404.endpoint_for(url, self.settings)
        if found is None:
            return attempt
        kind, endpoint = found
        try:
            answer = fetch(self._client, "GET", endpoint, self.settings)
            verdict = soft404.judge(kind, attempt.final_url or url, answer.status, answer.body)
        except Exception as exc:
            verdict = soft404.Verdict(
                None, f"{kind} endpoint unreachable ({from_error(exc).detail})"
            )
        if verdict.gone:
            return Attempt(Status.BROKEN, verdict.detail, attempt.http_status, attempt.final_url)
        if verdict.gone is None and verdict.detail:
            detail = "; ".join(d for d in (attempt.detail, verdict.detail) if d)
            return Attempt(attempt.status, detail, attempt.http_status, attempt.final_url)
        return attempt

    def check(
        self, url: str, head_status: int | None = None, artwork: str | None = None
    ) -> Attempt:
        """``url`` followed to its answer; artwork (``artwork`` its role) also read; a
        YouTube video asked of YouTube's oEmbed and thumbnails instead (``youtube``)."""
        if artwork is None and "youtu" in url:
            video = youtube.video_id(url)
            if video is not None:
                return youtube.check(self.client(), video, self.settings)
        attempt = self.attempt(url, head_status)
        if attempt.status in (Status.OK, Status.REDIRECTED):
            if artwork is not None:
                return self.artwork(url, attempt, artwork)
            return self.soft404(url, attempt)
        return attempt

    def artwork(self, url: str, attempt: Attempt, role: str) -> Attempt:
        """The image's first bytes, judged as the cover or picture it is (``artwork``)."""
        target = attempt.final_url or url
        try:
            answer = fetch(self._client, "GET", target, self.settings, headers=RANGE_HEADERS)
        except Exception as exc:
            failed = from_error(exc)
            return replace(failed, detail=f"reading the image: {failed.detail}")
        if answer.status not in (200, 206):
            return Attempt(
                Status.UNVERIFIABLE,
                f"the image answered {answer.status} to a GET of its first bytes",
                answer.status,
                attempt.final_url,
            )
        finding = judge(role, answer.body)
        if finding is None:
            return attempt
        return Attempt(
            Status.BROKEN if finding.broken else Status.UNVERIFIABLE,
            f"{'artwork' if role == COVER else 'picture'}: {finding.detail}",
            attempt.http_status,
            attempt.final_url,
            kind=finding.kind,
        )


class _Set:
    """An answer's headers as ``http.cookiejar`` reads a response (``info().get_all``)."""

    def __init__(self, headers: Mapping[str, str]):
        self.headers = headers

    def info(self) -> Mapping[str, str]:
        return self.headers


def _keep(jar: CookieJar, url: str, headers: Mapping[str, str]) -> None:
    """The cookies an answer from ``url`` sets, as a browser would keep them."""
    if headers and "Set-Cookie" in headers:
        jar.extract_cookies(_Set(headers), Request(url))  # type: ignore[arg-type]


def _cookie(jar: CookieJar, url: str) -> str:
    """The ``Cookie`` header for a request to ``url`` ("" when none applies)."""
    if not len(jar):
        return ""
    request = Request(url)
    jar.add_cookie_header(request)
    return request.get_header("Cookie") or ""
