"""Google's client libraries over the project's one network client.

google-api-python-client builds YouTube's requests (paths, multipart caption uploads) and
google-auth keeps the OAuth token fresh; both send through an object with the
``httplib2.Http.request`` shape and a ``google.auth.transport.Request`` respectively. These two
adapters give them ``feedgen_pod.net.Client``, so YouTube calls get the same deadline, address
rules and error messages as every other request, and the bearer token is added only for the
API's own origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import google.auth.exceptions
import google.auth.transport
import httplib2

from ..net import Client, NetError, origin


class AuthRequest(google.auth.transport.Request):
    """What google-auth calls to refresh a token (a POST to Google's token endpoint)."""

    def __init__(self, client: Client):
        self.client = client

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> google.auth.transport.Response:
        try:
            resp = self.client.request(method, url, headers=dict(headers or {}), data=body)
        except NetError as exc:
            raise google.auth.exceptions.TransportError(exc.message) from None
        return _AuthResponse(resp.status, dict(resp.headers), resp.content)


class _AuthResponse(google.auth.transport.Response):
    def __init__(self, status: int, headers: dict[str, str], data: bytes):
        self._status, self._headers, self._data = status, headers, data

    @property
    def status(self) -> int:
        return self._status

    @property
    def headers(self) -> dict[str, str]:
        return self._headers

    @property
    def data(self) -> bytes:
        return self._data


class ApiHttp:
    """The ``http`` object googleapiclient sends through: our client plus the bearer token."""

    def __init__(self, client: Client, credentials: Any, api_url: str):
        self.client = client
        self.credentials = credentials
        self.origin = origin(api_url)
        #: calls made, by (method, path): the quota check in tests and the run's summary
        self.calls: list[tuple[str, str]] = []

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        redirections: int = 5,
        connection_type: Any = None,
    ) -> tuple[httplib2.Response, bytes]:
        parts = urlsplit(uri)
        if origin(uri)[1:] == self.origin[1:] and parts.scheme != self.origin[0]:
            # googleapiclient keeps the discovery document's https for media uploads when the
            # endpoint is overridden; the configured root's scheme is the one meant
            uri = urlunsplit(parts._replace(scheme=self.origin[0]))
        if origin(uri) != self.origin:
            raise NetError(uri, "refused-address", f"{uri}: not the YouTube API's origin; not sent")
        sent = dict(headers or {})
        if self.credentials is not None:
            if not self.credentials.valid:
                self.credentials.refresh(AuthRequest(self.client))
            self.credentials.apply(sent)
        data = body.encode("utf-8") if isinstance(body, str) else body
        resp = self.client.request(method, uri, headers=sent, data=data, follow_redirects=False)
        self.calls.append((method, urlsplit(uri).path))
        info = {k.lower(): v for k, v in resp.headers.items()}
        info["status"] = str(resp.status)
        return httplib2.Response(info), resp.content
