"""An httpx transport that applies an OutboundPolicy: use as `httpx.AsyncClient(transport=...)`.

The check sits in httpcore's network backend, where a connection is opened: the host is resolved
there once and the socket goes to a checked address; TLS still verifies the URL's host name.
"""

from collections.abc import AsyncIterator, Iterable
from typing import Any

import anyio
import httpcore
import httpx

from shelfspace_kernel.outbound.policy import MAX_ADDRESSES, ConnectFailed, OutboundPolicy, OutboundRefused


class _AsyncCheckedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, policy: OutboundPolicy, inner: httpcore.AsyncNetworkBackend) -> None:
        self._policy = policy
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await anyio.to_thread.run_sync(
                    self._policy.addresses_for, host, port, abandon_on_cancel=True
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"{host} did not resolve in time") from exc
        except ConnectFailed as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        failure: Exception = httpcore.ConnectError(f"could not connect to {host}")
        for address in addresses[:MAX_ADDRESSES]:
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise OutboundRefused("Connections to local sockets are not allowed.")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _CappedAsyncStream(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, policy: OutboundPolicy) -> None:
        self._stream = stream
        self._policy = policy

    async def __aiter__(self) -> AsyncIterator[bytes]:
        count = self._policy.budget()
        async for chunk in self._stream:
            yield count(chunk)

    async def aclose(self) -> None:
        await self._stream.aclose()


def _prepare(policy: OutboundPolicy, request: httpx.Request) -> None:
    policy.check_url(str(request.url))
    request.headers["accept-encoding"] = "identity"


class OutboundAsyncTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, connecting only where `policy` allows and capping answers."""

    def __init__(self, policy: OutboundPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._policy = policy
        pool: Any = self._pool
        pool._network_backend = _AsyncCheckedBackend(policy, pool._network_backend)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _prepare(self._policy, request)
        response = await super().handle_async_request(request)
        try:
            self._policy.check_answer(str(request.url), response.status_code, response.headers)
        except Exception:
            await response.aclose()
            raise
        stream = _CappedAsyncStream(response.stream, self._policy)  # type: ignore[arg-type]
        return httpx.Response(
            response.status_code, headers=response.headers, stream=stream, extensions=response.extensions
        )
