"""OpenTelemetry traces, off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set (docs/operations/monitoring.md).

Off, nothing is installed: no middleware, no SQLAlchemy listeners, no tracer; the helpers here
return at once. On, each process exports over OTLP/HTTP (`<endpoint>/v1/traces`) from a provider of
its own (several apps share a test process), and a trace runs:

- gateway: a server span per request (a client's own `traceparent` is not trusted: the trace
  starts here), whose context goes to the service in W3C `traceparent`;
- service: a server span continuing the caller's context (the gateway or another service, both
  internal and signed), SQLAlchemy statements as client spans under it;
- events: `add_events` stores the current context in the outbox row (`trace_context`), the relay
  sends it as AMQP headers, and the consumer's span continues it.
"""

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shelfspace_kernel.metrics import route_template

# Set once a process turns tracing on; the hot paths check only this.
_enabled = False


def enabled() -> bool:
    return _enabled


class Tracing:
    """One process's tracer provider and exporter."""

    def __init__(self, service: str, endpoint: str, version: str = "") -> None:
        global _enabled
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        resource = Resource.create({"service.name": service, "service.version": version})
        self.provider = TracerProvider(resource=resource)
        exporter = OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces", timeout=5)
        self.provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=1000))
        self.tracer = self.provider.get_tracer("shelfspace")
        _enabled = True

    @classmethod
    def from_settings(cls, service: str, settings: Any) -> "Tracing | None":
        endpoint = getattr(settings, "otel_exporter_otlp_endpoint", "")
        return cls(service, endpoint, getattr(settings, "app_version", "")) if endpoint else None

    def instrument_engine(self, engine: Any) -> None:
        """Spans for the engine's statements (SQLAlchemy's cursor events), on this provider; only
        inside a request's or an event's span, so the relay's polling is no trace of its own."""
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import NoOpMeter

        usage = NoOpMeter("shelfspace").create_up_down_counter("db.client.connections.usage")
        EngineTracer(_ChildSpansOnly(self.tracer), engine.sync_engine, usage)

    @contextlib.contextmanager
    def span(
        self, name: str, carrier: Mapping[str, Any] | None = None, kind: str = "INTERNAL", **attributes: Any
    ) -> Iterator[Any]:
        """A span continuing the context in `carrier` (W3C headers), else the current one."""
        from opentelemetry.trace import SpanKind

        parent = extract(carrier) if carrier else None
        with self.tracer.start_as_current_span(
            name, context=parent, kind=getattr(SpanKind, kind), attributes=attributes
        ) as current:
            yield current

    def shutdown(self) -> None:
        self.provider.shutdown()


class _ChildSpansOnly:
    """A tracer that starts a span only under a current one (else a non-recording span)."""

    def __init__(self, tracer: Any) -> None:
        self._tracer = tracer

    def start_span(self, name: str, *args: Any, **kwargs: Any) -> Any:
        from opentelemetry import trace

        if not trace.get_current_span().get_span_context().is_valid:
            return trace.INVALID_SPAN
        return self._tracer.start_span(name, *args, **kwargs)


def extract(carrier: Mapping[str, Any]) -> Any:
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    headers = {str(k).lower(): v.decode() if isinstance(v, bytes) else str(v) for k, v in carrier.items()}
    return TraceContextTextMapPropagator().extract(headers)


def current_context_headers() -> dict[str, str]:
    """The current span's context as W3C headers (`traceparent`, `tracestate`); empty when off."""
    if not _enabled:
        return {}
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    carrier: dict[str, str] = {}
    TraceContextTextMapPropagator().inject(carrier)
    return carrier


class TracingMiddleware:
    """A server span per HTTP request, named by route template; `trust_incoming` continues a caller's trace."""

    def __init__(
        self,
        app: ASGIApp,
        tracing: Tracing,
        trust_incoming: bool = True,
        template: Callable[[Scope], str] = route_template,
    ) -> None:
        self.app = app
        self.tracing = tracing
        self.trust_incoming = trust_incoming
        self.template = template

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = None
        if self.trust_incoming:
            carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        with self.tracing.span(scope["method"], carrier, kind="SERVER") as span:

            async def send_traced(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                await send(message)

            try:
                await self.app(scope, receive, send_traced)
            finally:
                route = self.template(scope)
                span.update_name(f"{scope['method']} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.request.method", scope["method"])


@contextlib.contextmanager
def consumer_span(tracing: "Tracing | None", name: str, headers: Mapping[str, Any] | None) -> Iterator[None]:
    """Continue the trace an event carries (its AMQP headers); nothing when tracing is off."""
    if tracing is None:
        yield
        return
    with tracing.span(name, headers or {}, kind="CONSUMER"):
        yield
