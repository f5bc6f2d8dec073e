"""The one exception the network client raises, and the cleaning of text a server sent.

Every failure of a request, whatever library or socket call it came from, becomes a
``NetError`` with the URL, a stable ``kind`` and a message in plain words, so a command can
report it (a problem, a line, a result) without knowing the client's insides.
"""

from __future__ import annotations

import re
import unicodedata

#: every ``NetError.kind``, and what it means
KINDS = {
    "timeout": "no complete answer within the deadline",
    "refused-address": "the address (or a redirect's target) is one the client will not reach",
    "dns": "the host name does not resolve",
    "connect": "no connection could be made, or it was closed before an answer",
    "tls": "the TLS handshake or the certificate failed",
    "too-large": "the answer is larger than the byte cap (after decompression)",
    "bad-response": "the answer is not valid HTTP, or its body is cut short or badly encoded",
    "too-many-redirects": "more redirects than allowed, or a redirect loop",
    "bad-scheme": "not an http or https URL",
    "offline": "the network is unreachable (no route, no name server answers)",
}

#: escape sequences a terminal acts on: CSI (``ESC [``), OSC (``ESC ]`` up to BEL or ST),
#: other ``ESC x`` pairs, and their 8-bit forms
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x9c)?"
    r"|\x1b[@-_]?"
)
#: bidirectional overrides and isolates: they reorder what a terminal shows
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(text: str) -> str:
    """``text`` from a server, safe for a terminal, a log or an XML report: escape sequences
    and control characters (C0 but tab and newline, DEL, C1), bidirectional overrides,
    surrogates and the two non-characters XML refuses are removed.

    >>> clean_text("ok\\x1b[31m red\\x1b[0m\\x00 \\x07bell")
    'ok red bell'
    """
    if text.isascii() and text.isprintable():
        return text
    text = _ESCAPES.sub("", text)
    return "".join(
        c
        for c in text
        if c in "\t\n"
        or not (unicodedata.category(c) in ("Cc", "Cs") or c in _BIDI or c in "\ufffe\uffff")
    )


def one_line(text: str, limit: int = 300) -> str:
    """Cleaned text on one line (white space runs as one space), cut at ``limit`` characters."""
    flat = " ".join(clean_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class NetError(Exception):
    """A request that did not end with an answer: ``url`` (the hop that failed), ``kind`` (one
    of ``KINDS``) and ``message`` (plain words, cleaned, naming the URL); ``attempts``: how
    many times the request was sent."""

    def __init__(self, url: str, kind: str, message: str):
        if kind not in KINDS:
            raise ValueError(f"unknown NetError kind {kind!r}")
        self.url = clean_text(url)
        self.kind = kind
        self.message = one_line(message, 1000)
        self.attempts = 1
        super().__init__(self.message)

    def __reduce__(self) -> tuple[type[NetError], tuple[str, str, str]]:  # picklable
        return (NetError, (self.url, self.kind, self.message))
