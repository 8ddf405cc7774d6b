"""The kernel's shared revisions (outbox and inbox) and what later service revisions share.

A later change to the shared tables is one revision per service that calls a helper here, so each
service's chain stays linear.
"""

from alembic import op


def add_outbox_trace_context() -> None:
    """The outbox row's trace context (W3C headers as JSON, shelfspace_kernel.tracing): a nullable
    column without a default, so no row is rewritten; its lock wait is bounded by the run's lock_timeout
    (shelfspace_kernel.migrations), so writers never queue long."""
    op.execute("ALTER TABLE outbox ADD COLUMN IF NOT EXISTS trace_context jsonb")


def drop_outbox_trace_context() -> None:
    op.execute("ALTER TABLE outbox DROP COLUMN IF EXISTS trace_context")
