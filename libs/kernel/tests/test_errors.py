"""The API error shape: validation details for bad input, nothing internal in a 500."""

import asyncpg
import httpx
from fastapi import FastAPI
from pydantic import BaseModel, Field

from shelfspace_kernel.errors import Conflict, install_error_handlers
from shelfspace_kernel.middleware import RequestContextMiddleware


class Title(BaseModel):
    title: str = Field(min_length=1, max_length=10)
    year: int


def an_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)

    @app.post("/titles")
    async def create(title: Title) -> Title:
        return title

    @app.post("/conflict")
    async def conflict() -> None:
        raise Conflict("That invite was already used.")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    return app


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=an_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_bad_input_gets_422_with_the_fields_named():
    async with client() as http:
        response = await http.post("/titles", json={"title": "", "year": "soon"}, headers={"x-request-id": "abc-1"})

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["code"] == "validation_failed"
    assert {detail["field"] for detail in error["details"]} == {"title", "year"}
    assert error["request_id"] == "abc-1"
    assert response.headers["x-request-id"] == "abc-1"


async def test_malformed_json_gets_422_not_500():
    async with client() as http:
        response = await http.post("/titles", content=b"{nope", headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


async def test_a_domain_error_keeps_its_status_code_and_message():
    async with client() as http:
        response = await http.post("/conflict")

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "conflict",
        "message": "That invite was already used.",
        "details": [],
        "request_id": response.headers["x-request-id"],
    }


async def test_an_unexpected_error_is_a_500_without_internal_text():
    async with client() as http:
        response = await http.get("/boom")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "hunter2" not in response.text
    assert "db.internal" not in response.text


async def test_an_unsafe_request_id_is_replaced():
    async with client() as http:
        response = await http.post("/conflict", headers={"x-request-id": "evil\nvalue" * 10})

    assert response.headers["x-request-id"].isalnum()


async def test_a_database_that_cannot_be_reached_answers_503_not_500():
    app = an_app()

    @app.get("/db")
    async def db() -> None:
        try:
            raise asyncpg.TooManyConnectionsError("remaining connection slots are reserved")
        except asyncpg.TooManyConnectionsError as exc:
            raise RuntimeError("wrapped by the driver") from exc

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/db")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert response.headers["retry-after"] == "5"


async def test_text_the_database_cannot_store_is_a_422_with_the_request_id():
    app = an_app()

    @app.post("/nul")
    async def nul() -> None:
        raise asyncpg.CharacterNotInRepertoireError('invalid byte sequence for encoding "UTF8": 0x00')

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.post("/nul", headers={"x-request-id": "nul-1"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"
    assert response.headers["x-request-id"] == "nul-1"
