"""A fake UPCitemdb: `/prod/trial/lookup` (no key) and `/prod/v1/lookup` (user_key header).

upc = await FakeUpcItemDb(user_key="k").start()
upc.add_product("883929638390", "The Matrix (4K Ultra HD + Blu-ray + Digital) [4K UHD]")
# settings: {"base_url": upc.base_url, "token": "k"}
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.fakes.base import FakeServer


class FakeUpcItemDb(FakeServer):
    def __init__(self, user_key: str | None = None) -> None:
        super().__init__()
        self.user_key = user_key
        self.products: dict[str, list[dict[str, Any]]] = {}

    @property
    def base_url(self) -> str:
        return f"{self.url}/prod"

    def add_product(self, upc: str, title: str, *, brand: str = "Warner", images: list[str] | None = None) -> None:
        item = {
            "ean": upc.zfill(13),
            "title": title,
            "upc": upc,
            "description": "",
            "brand": brand,
            "category": "Media > DVDs & Videos",
            "images": images if images is not None else ["https://images.example/cover.jpg"],
            "offers": [],
        }
        self.products.setdefault(upc, []).append(item)

    def _answer(self, upc: str) -> JSONResponse:
        if not upc.isdigit():
            return JSONResponse({"code": "INVALID_UPC", "message": "Not a valid UPC code."}, status_code=400)
        items = self.products.get(upc, [])
        return JSONResponse({"code": "OK", "total": len(items), "offset": 0, "items": items})

    def routes(self, app: FastAPI) -> None:
        @app.get("/prod/trial/lookup")
        async def trial(upc: str) -> JSONResponse:
            return self._answer(upc)

        @app.get("/prod/v1/lookup")
        async def paid(upc: str, request: Request) -> JSONResponse:
            if request.headers.get("user_key") != self.user_key:
                return JSONResponse({"code": "INVALID_KEY", "message": "Invalid key."}, status_code=401)
            return self._answer(upc)
