"""Dead only when it stays dead: a broken link fails the check once its history says so.

Sites have bad nights. A link that answers 404 or does not resolve once is a warning; it fails
the check when it was broken in the last ``fail_after`` checks in a row and the first of that
run of broken checks was a day or more ago (``fail_after`` 1: at once). A broken result with a
``kind`` (a malformed URL, a refused address, artwork of the wrong size) is about the link
itself, not the site's health, and fails at once. Without a history (no cache) nothing can be
waited for, so every broken link fails, as with ``fail_after`` 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .types import Verdict

DAY = 86400.0


@dataclass(frozen=True)
class Health:
    """What the history says about one link's verdict now."""

    #: counts towards the exit code
    failing: bool
    #: when the present run of broken checks began (epoch seconds), None when not broken
    broken_since: float | None = None
    #: broken checks in a row, this one included
    broken_checks: int = 0


def judge(
    verdict: Verdict,
    kind: str,
    past: Sequence[tuple[float, Verdict]] | None,
    now: float,
    fail_after: int,
) -> Health:
    """``verdict`` now, with the link's earlier checks (newest first; None: no history).

    >>> judge(Verdict.BROKEN, "", [], 10 * DAY, 2)
    Health(failing=False, broken_since=864000.0, broken_checks=1)
    >>> judge(Verdict.BROKEN, "", [(8 * DAY, Verdict.BROKEN)], 10 * DAY, 2).failing
    True
    """
    if verdict is not Verdict.BROKEN:
        return Health(False)
    since, checks = now, 1
    for when, earlier in past or ():
        if earlier is not Verdict.BROKEN:
            break
        since, checks = min(since, when), checks + 1
    if kind or past is None or fail_after <= 1:
        return Health(True, since, checks)
    return Health(checks >= fail_after and now - since >= DAY, since, checks)
