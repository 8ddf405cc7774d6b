"""structlog set-up: JSON lines in containers, readable output on a terminal.

Libraries log through stdlib `logging` (uvicorn, aio-pika, aiormq, SQLAlchemy, alembic): their records
go through structlog's `ProcessorFormatter`, so with `LOG_FORMAT=json` every line on stderr is one
JSON object with the same fields (`event`, `level`, `logger`, `timestamp`, the bound ids).
Consumers, the sync worker and periodic jobs bind a request id (the event's, or a fresh one) with
`bound_log_context`; with tracing on, `trace_id` and `span_id` are added from the current span.
"""

import contextlib
import logging
import sys
import uuid
from collections.abc import Iterator, MutableMapping
from typing import Any, TextIO

import structlog

# Library loggers that are chatty at INFO; they still log warnings and errors.
QUIET_LIBRARIES = ("aio_pika", "aiormq", "sqlalchemy", "alembic", "asyncio", "httpx", "httpcore")


def _add_trace_ids(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", format(context.trace_id, "032x"))
        event.setdefault("span_id", format(context.span_id, "016x"))
    return event


def _drop_color_message(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """uvicorn passes a copy of its message with terminal colour codes as an `extra`: not for JSON."""
    event.pop("color_message", None)
    return event


class _OwnHandler(logging.StreamHandler[TextIO]):
    """The root handler this module installs (replaced, not added again, on a second call)."""


def configure_logging(service: str, log_format: str = "json", level: str = "INFO", *, trace_ids: bool = False) -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    if trace_ids:
        shared.append(_add_trace_ids)
    renderer = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    handler = _OwnHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[
                *shared,
                structlog.stdlib.add_logger_name,
                structlog.stdlib.ExtraAdder(),
                _drop_color_message,
            ],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OwnHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.getLevelName(level.upper()))
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    # uvicorn's own loggers: its error log propagates to the root handler; its access log is off
    # (shelfspace_kernel.middleware writes one line per request).
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


@contextlib.contextmanager
def bound_log_context(request_id: str | None = None, **values: Any) -> Iterator[str]:
    """Bind a request id (the given one, else a fresh one) and `values` to every log line inside."""
    request_id = request_id or uuid.uuid4().hex
    with structlog.contextvars.bound_contextvars(request_id=request_id, **values):
        yield request_id


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
