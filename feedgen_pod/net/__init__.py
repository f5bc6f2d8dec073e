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
"""

from .client import Client, Response, retry_after
from .errors import KINDS, NetError, clean_text, one_line
from .policy import DEFAULT_TIMEOUT, USER_AGENT, NetPolicy

__all__ = [
    "DEFAULT_TIMEOUT",
    "KINDS",
    "USER_AGENT",
    "Client",
    "NetError",
    "NetPolicy",
    "Response",
    "clean_text",
    "one_line",
    "retry_after",
]
