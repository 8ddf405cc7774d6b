"""A requests session that applies an OutboundPolicy (for libraries built on requests, like plexapi).

urllib3's connections open their socket to an address the policy checked (the name is resolved once)
and still speak TLS to the URL's host name, so the certificate is checked against it.
"""

import socket
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from shelfspace_kernel.outbound.policy import ConnectFailed, OutboundPolicy, OutboundRefused, OutboundTooLarge


class _CheckedConnection:
    """Mixed into urllib3's connections; `_policy` is set on the subclass made for each policy.

    The socket is opened here to a checked address; `host` (the URL's) stays what TLS verifies.
    """

    _policy: OutboundPolicy

    def _new_conn(self) -> socket.socket:
        conn: Any = self

        def to(address: str) -> socket.socket:
            try:
                options = conn.socket_options
                return create_connection((address, conn.port), conn.timeout, conn.source_address, options)
            except TimeoutError as exc:
                raise ConnectTimeoutError(conn, f"Connection to {conn.host} timed out.") from exc
            except OSError as exc:
                raise NewConnectionError(conn, f"Failed to establish a new connection: {exc}") from exc

        try:
            return self._policy.connect(conn.host, conn.port, to, (NewConnectionError, ConnectTimeoutError))
        except ConnectFailed as exc:
            raise NewConnectionError(conn, f"{conn.host} could not be reached") from exc


class _CappedRaw:
    """urllib3's response with reads counted: past the policy's cap, OutboundTooLarge."""

    def __init__(self, raw: Any, policy: OutboundPolicy) -> None:
        self._raw = raw
        self._count = policy.budget()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def read(self, amt: int | None = None, *args: Any, **kwargs: Any) -> bytes:
        data = self._raw.read(amt, *args, **kwargs)
        try:
            return self._count(data)
        except OutboundTooLarge:
            self._raw.close()
            raise

    def stream(self, amt: int | None = 2**16, decode_content: bool | None = None) -> Iterator[bytes]:
        while data := self.read(amt, decode_content=decode_content):
            yield data


class OutboundAdapter(HTTPAdapter):
    """requests' adapter, connecting only where `policy` allows, refusing cross-host redirects, capping answers."""

    def __init__(self, policy: OutboundPolicy, **kwargs: Any) -> None:
        self._policy = policy
        connection = type("CheckedHTTPConnection", (_CheckedConnection, HTTPConnection), {"_policy": policy})
        tls_connection = type("CheckedHTTPSConnection", (_CheckedConnection, HTTPSConnection), {"_policy": policy})
        self._pool_classes = {
            "http": type("CheckedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": connection}),
            "https": type("CheckedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": tls_connection}),
        }
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes
        self.poolmanager.key_fn_by_scheme = self.poolmanager.key_fn_by_scheme.copy()

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        raise OutboundRefused("Outbound calls do not go through a proxy.")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        url = request.url or ""
        self._policy.check_url(url)
        request.headers["Accept-Encoding"] = "identity"
        response = super().send(request, *args, **kwargs)
        try:
            self._policy.check_answer(url, response.status_code, response.headers)
        except Exception:
            response.close()
            raise
        response.raw = _CappedRaw(response.raw, self._policy)
        return response


def outbound_session(policy: OutboundPolicy, adapter: OutboundAdapter | None = None) -> requests.Session:
    """A session whose every request goes through `adapter` (default: one for `policy`), never a proxy."""
    session = requests.Session()
    session.trust_env = False  # no proxy or .netrc from the environment
    session.max_redirects = policy.max_redirects
    adapter = adapter or OutboundAdapter(policy)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
