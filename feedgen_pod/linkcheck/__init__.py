"""``feedgen-pod check-links``: every external URL of the show, checked politely and safely.

collect (model → ``Link`` with sources) → engine (scheduling, retries, cache) → check/probe
(one URL through the network client, ``feedgen_pod.net``, every hop vetted) → ``LinkResult``
→ report formatters.
"""

from .collect import collect
from .engine import Engine, check_key
from .policy import Settings, from_config
from .types import Link, LinkResult, Source, Status

__all__ = [
    "Engine",
    "Link",
    "LinkResult",
    "Settings",
    "Source",
    "Status",
    "check_key",
    "collect",
    "from_config",
]
