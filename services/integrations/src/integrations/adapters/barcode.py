"""A UPCitemdb-compatible barcode lookup: the products behind a UPC/EAN, read for format and title."""

import uuid
from typing import Any

from integrations.adapters.http import ProviderHttp, ProviderKit
from integrations.domain.barcode import read_product
from integrations.domain.providers import BarcodeConfig
from integrations.errors import ProviderBadResponse
from shelfspace_contracts.integrations import BarcodeCandidate

CHECK_UPC = "012345678905"


class Barcode:
    """With a key: the paid endpoint (`/v1/lookup`, `user_key` header); without: the free trial one."""

    def __init__(self, kit: ProviderKit, space_id: uuid.UUID, config: BarcodeConfig, token: str | None) -> None:
        self._http = ProviderHttp(kit, space_id, "barcode", "The barcode service")
        self._config = config
        self._token = token

    async def lookup(self, upc: str) -> list[BarcodeCandidate]:
        path, headers = "/trial/lookup", {"accept": "application/json"}
        if self._token:
            path = "/v1/lookup"
            headers |= {"user_key": self._token, "key_type": "3scale"}
        response = await self._http.request(
            "GET", f"{self._config.base_url}{path}", params={"upc": upc}, headers=headers
        )
        body = ProviderHttp.json_of(response, "The barcode service") if response.content else {}
        if response.status_code in (400, 404) or (isinstance(body, dict) and body.get("code") == "INVALID_UPC"):
            return []
        if response.status_code >= 400 or not isinstance(body, dict):
            raise ProviderBadResponse(f"The barcode service answered HTTP {response.status_code}.")
        return [c for c in (self._candidate(upc, item) for item in body.get("items") or []) if c is not None]

    @staticmethod
    def _candidate(upc: str, item: Any) -> BarcodeCandidate | None:
        if not isinstance(item, dict) or not str(item.get("title") or "").strip():
            return None
        product = str(item["title"]).strip()
        reading = read_product(product)
        images = [i for i in item.get("images") or [] if isinstance(i, str) and i.startswith("https://")]
        return BarcodeCandidate(
            upc=str(item.get("upc") or item.get("ean") or upc),
            product_title=product,
            title=reading.title,
            year=reading.year,
            format=reading.format,
            edition=reading.edition,
            brand=str(item.get("brand") or "").strip() or None,
            image_url=images[0] if images else None,
        )

    async def check(self) -> str:
        await self.lookup(CHECK_UPC)
        mode = "with the API key" if self._token else "on the free trial endpoint (no key set)"
        return f"The barcode service answered {mode}."
