"""One whole check of one URL: the redirect chain, HEAD falling back to GET, soft 404s."""

from __future__ import annotations

import threading
from collections import Counter
from urllib.parse import urljoin, urlsplit

from urllib3 import PoolManager

from . import safety, soft404
from .policy import Settings
from .probe import PERMANENT, REDIRECTS, Answer, Attempt, classify, fetch, from_error
from .types import Status

#: HEAD answers after which GET is asked instead (servers that answer HEAD wrongly)
_HEAD_DOUBT = 400


def host_key(url: str) -> str:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{(parts.hostname or '').lower()}:{port or ''}"


class Checker:
    """Checks URLs with one shared session; remembers hosts that answer HEAD wrongly."""

    def __init__(self, settings: Settings, session: PoolManager):
        self.settings = settings
        self.session = session
        self._no_head: set[str] = set()
        #: hosts whose HEAD 404s a GET confirmed: after two, their HEAD 404 is believed
        self._head_agreed: Counter[str] = Counter()
        self._lock = threading.Lock()

    def _get_or_head(self, url: str) -> Answer:
        key = host_key(url)
        rule = self.settings.rule(urlsplit(url).hostname or "")
        if rule.head and key not in self._no_head:
            head = fetch(self.session, "HEAD", url, self.settings)
            doubtful = _HEAD_DOUBT <= head.status < 500 and head.status != 429
            trusted = head.status in (404, 410) and self._head_agreed[key] >= 2
            if (not doubtful or trusted) and head.status != 501:
                return head
            get = fetch(self.session, "GET", url, self.settings)
            with self._lock:
                if get.status < 400 and head.status in (405, 501):
                    self._no_head.add(key)
                elif get.status == head.status:
                    self._head_agreed[key] += 1
            return get
        return fetch(self.session, "GET", url, self.settings)

    def attempt(self, url: str) -> Attempt:
        """Follow ``url`` to its final answer once; errors become results."""
        current = url
        seen = {url.split("#")[0]}
        first_permanent: bool | None = None
        hops = 0
        while True:
            try:
                answer = self._get_or_head(current)
            except Exception as exc:
                result = from_error(exc)
                if hops and result.status is Status.BROKEN:
                    return Attempt(
                        result.status, f"redirect to {current}: {result.detail}", final_url=current
                    )
                return result
            location = answer.headers.get("Location")
            if answer.status in REDIRECTS and location:
                target = urljoin(current, location.strip())
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
                if target.split("#")[0] in seen:
                    return Attempt(
                        Status.BROKEN, f"redirect loop at {target}", answer.status, target
                    )
                try:
                    safety.check_scheme(target)
                except safety.Refused as exc:
                    return Attempt(
                        Status.BROKEN, f"redirect to {target}: {exc}", answer.status, target
                    )
                seen.add(target.split("#")[0])
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
            answer = fetch(self.session, "GET", endpoint, self.settings)
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

    def check(self, url: str) -> Attempt:
        attempt = self.attempt(url)
        if attempt.status in (Status.OK, Status.REDIRECTED):
            return self.soft404(url, attempt)
        return attempt
