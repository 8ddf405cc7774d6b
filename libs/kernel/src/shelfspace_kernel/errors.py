"""The API error model (API.md): errors are values, turned into responses in one place."""

from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger(__name__)

_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    503: "unavailable",
}


class AppError(Exception):
    status = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.details = details or []
        self.headers = headers or {}
        super().__init__(self.message)


class Unauthenticated(AppError):
    status, code, message = 401, "unauthenticated", "Authentication required."


class Forbidden(AppError):
    status, code, message = 403, "forbidden", "You are not allowed to do this."


class NotFound(AppError):
    status, code, message = 404, "not_found", "Not found."


class Conflict(AppError):
    status, code, message = 409, "conflict", "The request conflicts with the current state."


class ValidationFailed(AppError):
    status, code, message = 422, "validation_failed", "The request is not valid."


class RateLimited(AppError):
    status, code, message = 429, "rate_limited", "Too many attempts; try again later."


class Unavailable(AppError):
    status, code, message = 503, "unavailable", "A dependency is unavailable; try again shortly."


def request_id_of(request: Request) -> str | None:
    # Set by RequestContextMiddleware, which checks a caller's id; the raw header is never echoed.
    return getattr(request.state, "request_id", None)


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None, request_id: str | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or [], "request_id": request_id}}


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = error_body(code, message, details, request_id_of(request))
    request.state.error_code = code  # counted per route by shelfspace_kernel.metrics
    return JSONResponse(body, status_code=status, headers=headers)


def _field_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        location = [str(part) for part in err.get("loc", ()) if part not in ("body",)]
        details.append({"field": ".".join(location), "message": err.get("msg", ""), "type": err.get("type", "")})
    return details


_OUTAGE_ERRORS = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
    asyncpg.InterfaceError,
)


# Postgres data exceptions (SQLSTATE class 22: a number out of range, a NUL character in text):
# values the request carried that cannot be stored, so the client's error, not ours.
_UNSTORABLE_VALUE = (asyncpg.DataError,)


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether `exc` or an error it wraps (driver `orig`, `__cause__`, `__context__`) is of `kinds`."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, kinds):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def is_dependency_outage(exc: BaseException) -> bool:
    """Whether an unexpected error is really an unreachable or saturated database or broker."""
    return _caused_by(exc, _OUTAGE_ERRORS)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(request, 422, "validation_failed", "The request is not valid.", _field_details(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _CODES_BY_STATUS.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Starlette answers these outside the app's middleware, so the request id is set here.
        headers = {"X-Request-Id": request_id_of(request) or ""}
        if is_dependency_outage(exc):
            log.warning("dependency_unavailable", path=request.url.path, error=type(exc).__name__)
            return error_response(
                request, 503, Unavailable.code, Unavailable.message, headers={**headers, "Retry-After": "5"}
            )
        if _caused_by(exc, _UNSTORABLE_VALUE):
            message = "A value is out of range or contains characters that cannot be stored (such as NUL)."
            details = [{"field": "", "message": message, "type": "value_not_storable"}]
            return error_response(request, 422, "validation_failed", "The request is not valid.", details, headers)
        log.error("unhandled_error", path=request.url.path, exc_info=exc)
        return error_response(request, 500, "internal_error", "An unexpected error occurred.", headers=headers)
