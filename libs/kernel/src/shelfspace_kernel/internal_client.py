"""Service-to-service calls: a long-lived client that signs the caller's context for each request."""

from collections.abc import Generator
from typing import Any

import httpx

from shelfspace_kernel.errors import Unavailable
from shelfspace_kernel.internal_auth import CallerContext, TokenSigner
from shelfspace_kernel.tracing import current_context_headers


class SignedAs(httpx.Auth):
    """httpx auth: each request gets its own token, bound to its method and target as sent."""

    def __init__(self, signer: TokenSigner, audience: str, context: CallerContext) -> None:
        self._signer, self._audience, self._context = signer, audience, context

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # raw_path is the path and query exactly as they go on the wire.
        target = request.url.raw_path.decode("latin-1")
        token = self._signer.sign(self._audience, self._context, request.method, target)
        request.headers["authorization"] = f"Bearer {token}"
        yield request


class InternalClient:
    def __init__(
        self, base_url: str, audience: str, signer: TokenSigner, *, connect_timeout: float = 2.0, timeout: float = 30.0
    ) -> None:
        self.audience = audience
        self._signer = signer
        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=httpx.Timeout(timeout, connect=connect_timeout, pool=connect_timeout)
        )

    async def request(
        self,
        method: str,
        path: str,
        context: CallerContext,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """Send one request as `context`; transport failures become `Unavailable`."""
        auth = SignedAs(self._signer, self.audience, context)
        headers = {"x-request-id": context.request_id, **current_context_headers()}
        try:
            return await self._http.request(method, path, json=json, params=params, headers=headers, auth=auth)
        except httpx.TransportError as exc:
            raise Unavailable(f"The {self.audience} service is unavailable.") from exc

    async def aclose(self) -> None:
        await self._http.aclose()
