"""The link checker's values: where a URL stands, and what checking it found.

A failed check is a result, not an exception: every formatter and the exit code read these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    OK = "ok"
    #: a permanent redirect: the link works but the source should be updated to ``final_url``
    REDIRECTED = "redirected"
    BROKEN = "broken"
    #: bot walls, rate limits, login walls: not known to be broken, so not failing CI by default
    UNVERIFIABLE = "unverifiable"
    TIMEOUT = "timeout"
    EXCLUDED = "excluded"


class Verdict(str, Enum):
    """What a link's check means for the show, in three words (a status says more)."""

    #: the page is there (an old address that redirects included)
    OK = "ok"
    #: the site says the page is gone: 404, 410, a name that no longer resolves, a soft 404
    BROKEN = "broken"
    #: the site does not let a checker see: bot walls, challenges, login walls, 429, timeouts
    UNVERIFIABLE = "unverifiable"
    #: not checked (an exclude pattern, a mailto: link)
    EXCLUDED = "excluded"


#: each status's verdict
VERDICT_OF: dict[Status, Verdict] = {
    Status.OK: Verdict.OK,
    Status.REDIRECTED: Verdict.OK,
    Status.BROKEN: Verdict.BROKEN,
    Status.UNVERIFIABLE: Verdict.UNVERIFIABLE,
    Status.TIMEOUT: Verdict.UNVERIFIABLE,
    Status.EXCLUDED: Verdict.EXCLUDED,
}

#: statuses that make ``check-links`` exit 1 (with ``--fail-on-unverifiable`` also the others)
FAILING = frozenset({Status.BROKEN})
DOUBTFUL = frozenset({Status.UNVERIFIABLE, Status.TIMEOUT})


@dataclass(frozen=True, order=True)
class Source:
    """One place a URL stands: ``episodes/x.md`` line 14, field ``links.youtube``."""

    path: str
    line: int
    field: str


@dataclass(frozen=True)
class Link:
    """A URL to check, with every place it stands (checked once, reported for each)."""

    url: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class LinkResult:
    url: str
    sources: tuple[Source, ...]
    status: Status
    detail: str = ""
    http_status: int | None = None
    final_url: str | None = None
    elapsed: float = 0.0
    #: True when the result came from the cache instead of the network
    cached: bool = False
    #: a stable code for what is wrong beyond the status (``artwork-not-square``)
    kind: str = ""

    @property
    def verdict(self) -> Verdict:
        return VERDICT_OF[self.status]

    @property
    def problem(self) -> bool:
        """Worth showing to a maintainer: anything but ok and excluded."""
        return self.status not in (Status.OK, Status.EXCLUDED)


@dataclass(frozen=True)
class Suggestion:
    """A replacement for a broken link: an archived capture of the page."""

    url: str
    #: when the capture was made, as the archive writes it (``20210504123456``)
    captured: str
    #: the capture's size in bytes as the archive lists it (compressed), 0 when unknown
    length: int = 0
