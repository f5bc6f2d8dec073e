"""The one network client: every command that reaches the network goes through ``Client``.

    Client(NetPolicy(...)).request(method, url, ...) -> Response

It owns, for every request: the address check (public addresses only unless allowed; checked
at every redirect hop on the address actually connected to), redirects, one total deadline
(connecting, headers, body, redirects and retries), the byte cap after decompression,
``Retry-After``, and one exception:

    NetError (kind: timeout, refused-address, dns, connect, tls, too-large, bad-response,
              too-many-redirects, bad-scheme, offline)

``clean_text`` removes control characters and escape sequences from text a server sent,
before it reaches a terminal or a report. Built on requests (a transport adapter) and urllib3's
public API; see ``transport`` for how the address and the deadline are kept.

``Client``, ``Response`` and ``retry_after`` are imported from ``client`` when first asked for:
importing requests is a fifth of a no-change rebuild of a 200-episode show, and a build only
needs it when its host feed is a URL (the policy and the errors cost nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import KINDS, NetError, clean_text, one_line
from .policy import DEFAULT_TIMEOUT, SCHEMES, USER_AGENT, NetPolicy, origin, policy_for

if TYPE_CHECKING:
    from .client import Client, Response, redirect_target, retry_after

_FROM_CLIENT = ("Client", "Response", "redirect_target", "retry_after")


def __getattr__(name: str) -> Any:
    if name in _FROM_CLIENT:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_TIMEOUT",
    "KINDS",
    "SCHEMES",
    "USER_AGENT",
    "Client",
    "NetError",
    "NetPolicy",
    "Response",
    "clean_text",
    "one_line",
    "origin",
    "policy_for",
    "redirect_target",
    "retry_after",
]
