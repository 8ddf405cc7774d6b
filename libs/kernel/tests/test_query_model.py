"""A query string validated as one model answers like FastAPI's own parameters, and documents them."""

import enum
import uuid
from typing import Annotated, Any, Literal

import httpx
import pytest
from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel, Field

from shelfspace_kernel.errors import install_error_handlers
from shelfspace_kernel.query_model import query_model, query_parameters


class Shape(enum.StrEnum):
    ROUND = "round"
    SQUARE = "square"


class Filters(BaseModel):
    q: Annotated[str | None, Field(max_length=5)] = None
    shape: Shape | None = None
    year: Annotated[int | None, Field(ge=1870, le=2100)] = None
    rating: Annotated[float | None, Field(ge=0, le=10)] = None
    owner: uuid.UUID | None = None
    sort: Literal["title", "year"] = "title"
    limit: Annotated[int, Field(ge=1, le=200)] = 50


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/ours", openapi_extra={"parameters": query_parameters(Filters)})
    async def ours(filters: Annotated[Filters, Depends(query_model(Filters))]) -> dict:
        return filters.model_dump(mode="json")

    @app.get("/fastapis")
    async def fastapis(filters: Annotated[Filters, Query()]) -> dict:
        return filters.model_dump(mode="json")

    return app


def _resolved(node: Any, components: dict) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolved(components[node["$ref"].rsplit("/", 1)[-1]], components)
        return {key: _resolved(value, components) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(item, components) for item in node]
    return node


def test_the_parameters_are_documented_as_fastapi_documents_them():
    spec = _app().openapi()
    components = spec.get("components", {}).get("schemas", {})
    ours = spec["paths"]["/ours"]["get"]["parameters"]
    theirs = _resolved(spec["paths"]["/fastapis"]["get"]["parameters"], components)
    assert ours == theirs


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=abc&shape=round&year=1999&rating=7.5&sort=year&limit=3",
        f"owner={uuid.UUID(int=7)}&shape=square",
        "year=1990&year=2001&unknown=1",
        "year=1869",
        "year=&limit=0",
        "q=toolong&shape=oval&rating=11&owner=nope&sort=size",
        "limit=2.5",
    ],
)
async def test_values_and_errors_are_those_of_fastapi_s_own_parameters(query):
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ours = await client.get(f"/ours?{query}")
        theirs = await client.get(f"/fastapis?{query}")
    assert ours.status_code == theirs.status_code
    if ours.status_code == 200:
        assert ours.json() == theirs.json()
    else:
        assert ours.status_code == 422
        assert ours.json()["error"]["details"] == theirs.json()["error"]["details"]
