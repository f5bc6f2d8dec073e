"""``feedgen-pod check-links``: every external URL of the show, checked politely and safely.

collect (model → ``Link`` with sources) → engine (scheduling, retries, cache) → check/probe
(one URL, every hop vetted by ``safety``) → ``LinkResult`` → report formatters.

The names below are imported on first use: ``collect`` reads the model, whose dataclasses
cost start-up time that ``check-links`` spends after its first requests are out.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .collect import collect
    from .engine import Engine, check_key
    from .policy import Settings, from_config
    from .types import Link, LinkResult, Source, Status

#: public name → the module that defines it
_WHERE = {
    "collect": "collect",
    "Engine": "engine",
    "check_key": "engine",
    "Settings": "policy",
    "from_config": "policy",
    "Link": "types",
    "LinkResult": "types",
    "Source": "types",
    "Status": "types",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    # kept as the package's attribute: ``collect`` the function, not the submodule that
    # importing it just set here
    globals()[name] = value
    return value
