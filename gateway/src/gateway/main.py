"""The gateway app: health, merged OpenAPI, policy-checked forwarding and the web app."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Scope

from gateway.access import SessionResolver, authorize
from gateway.addresses import Network, is_trusted
from gateway.docs_viewer import mount_docs
from gateway.headers import SecurityHeadersMiddleware
from gateway.health import HealthCache, system_health
from gateway.openapi import OpenApiMerger
from gateway.proxy import create_upstreams, forward, forwarded_target
from gateway.request_log import RequestLog
from gateway.route_table import ROUTES
from gateway.routes import Route, RouteTable
from gateway.service_clients import create_clients
from gateway.sessions import ForgetSessionsOnIdentityChange, IdentitySessions
from gateway.settings import GatewaySettings
from gateway.webapp import mount_web_app
from shelfspace_contracts.health import BuildInfo
from shelfspace_kernel.app import NO_TELEMETRY
from shelfspace_kernel.errors import AppError, NotFound, install_error_handlers
from shelfspace_kernel.internal_auth import TokenSigner
from shelfspace_kernel.logging import configure_logging
from shelfspace_kernel.metrics import MetricsMiddleware, ProcessMetrics, route_template
from shelfspace_kernel.middleware import RequestContextMiddleware
from shelfspace_kernel.outbound import parse_networks
from shelfspace_kernel.settings import read_key_material
from shelfspace_kernel.tracing import Tracing, TracingMiddleware

FORWARDED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class MethodNotAllowed(AppError):
    status, code, message = 405, "method_not_allowed", "This method is not allowed here."


class GatewayApp(FastAPI):
    """Starlette answers an unexpected error in its outermost layer, outside every added middleware:
    the security headers wrap that layer too, so even such a 500 carries them."""

    trusted_proxies: Sequence[Network] = ()

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeadersMiddleware(super().build_middleware_stack(), self.trusted_proxies)


def public_route_template(scope: Scope) -> str:
    """A forwarded request's route table entry (`/api/spaces/{space_id}/titles`), else the gateway's own route."""
    route = scope.get("state", {}).get("route")
    return route.path if isinstance(route, Route) else route_template(scope)


def create_app(
    settings: GatewaySettings | None = None,
    *,
    routes: list[Route] | None = None,
    resolver: SessionResolver | None = None,
) -> FastAPI:
    settings = settings or GatewaySettings()
    tracing = Tracing.from_settings("gateway", settings)
    configure_logging("gateway", settings.log_format, settings.log_level, trace_ids=tracing is not None)
    metrics = ProcessMetrics("gateway", settings.app_version, settings.git_sha)
    table = RouteTable(ROUTES if routes is None else routes)
    trusted_proxies = parse_networks(settings.trusted_proxies)
    signer = TokenSigner(read_key_material(settings.internal_auth_private_key), settings.internal_token_ttl_seconds)
    sessions = resolver or IdentitySessions(
        signer,
        table,
        cookies=settings.cookies,
        cache_seconds=settings.session_cache_seconds,
        trusted_proxies=trusted_proxies,
    )
    build = BuildInfo(version=settings.app_version, git_sha=settings.git_sha, build_date=settings.build_date)
    request_log = RequestLog.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        timeouts = (settings.upstream_connect_timeout, settings.upstream_read_timeout)
        clients = create_clients(settings.service_urls(), *timeouts)
        upstreams = create_upstreams(settings.service_urls(), *timeouts)
        app.state.clients = clients
        app.state.upstreams = upstreams
        app.state.openapi = OpenApiMerger(clients, signer, table, settings.app_version)
        app.state.health = HealthCache(
            lambda: system_health(upstreams, build, settings.health_timeout), settings.health_cache_seconds
        )
        await request_log.start()
        try:
            yield
        finally:
            await app.state.health.close()
            await request_log.stop()
            for client in clients.values():
                await client.aclose()
            for upstream in upstreams.values():
                await upstream.aclose()
            if tracing is not None:
                tracing.shutdown()

    app = GatewayApp(
        title="Shelfspace gateway",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        telemetry=NO_TELEMETRY,
    )
    install_error_handlers(app)
    request_log.install(app)
    app.add_middleware(ForgetSessionsOnIdentityChange, table=table, resolver=sessions)
    # Served on its own listener (GATEWAY_METRICS_PORT, gateway/__main__.py), never on the public one.
    app.state.metrics = metrics
    app.add_middleware(MetricsMiddleware, metrics=metrics, template=public_route_template)
    if tracing is not None:
        app.add_middleware(TracingMiddleware, tracing=tracing, trust_incoming=False, template=public_route_template)
    app.add_middleware(RequestContextMiddleware)
    app.trusted_proxies = trusted_proxies

    @app.get("/api/health/live")
    async def live() -> BuildInfo:
        return build

    @app.get("/api/health")
    async def health() -> Response:
        answer = await app.state.health.answer()
        return Response(answer.body, status_code=answer.status_code, media_type="application/json")

    @app.get("/api/openapi.json")
    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(await app.state.openapi.document(request.state.request_id))

    mount_docs(app)

    # A plain Starlette route: the proxy takes no parameters FastAPI would have to resolve.
    async def proxy(request: Request) -> Response:
        match = table.match(request.method, request.url.path)
        if match is None:
            raise MethodNotAllowed() if table.allows_path(request.url.path) else NotFound()
        request.state.route = match.route
        principal = await sessions.resolve(request)
        request.state.principal = principal
        context = authorize(match, principal, request, request.state.request_id)
        request.state.caller_context = context
        target = forwarded_target(request.scope)
        token = signer.sign(match.route.service, context, request.method, target)
        return await forward(
            app.state.upstreams[match.route.service],
            request,
            target=target,
            token=token,
            request_id=request.state.request_id,
            max_body_bytes=getattr(settings, match.route.body_limit.value),
            from_trusted_proxy=request.client is not None and is_trusted(request.client.host, trusted_proxies),
        )

    app.router.add_route("/api/{path:path}", proxy, methods=FORWARDED_METHODS)
    if settings.frontend_dist and (settings.frontend_dist / "index.html").is_file():
        mount_web_app(app, settings.frontend_dist)
    return app
