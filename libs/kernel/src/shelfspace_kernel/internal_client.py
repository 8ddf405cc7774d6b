"""Service-to-service calls: a long-lived client that signs the caller's context for the target."""

from typing import Any

import httpx

from shelfspace_kernel.errors import Unavailable
from shelfspace_kernel.internal_auth import CallerContext, TokenSigner


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
        headers = {
            "authorization": f"Bearer {self._signer.sign(self.audience, context)}",
            "x-request-id": context.request_id,
        }
        try:
            return await self._http.request(method, path, json=json, params=params, headers=headers)
        except httpx.TransportError as exc:
            raise Unavailable(f"The {self.audience} service is unavailable.") from exc

    async def aclose(self) -> None:
        await self._http.aclose()
