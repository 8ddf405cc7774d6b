"""The outbox keeps each event's trace context (shelfspace_kernel.tracing); nothing else changes.

Rollback: the downgrade drops the column; only trace links of events not yet published are lost.
"""

from shelfspace_kernel.base_migrations import add_outbox_trace_context, drop_outbox_trace_context

revision = "0002_outbox_trace_context"
down_revision = "0001_activity_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_trace_context()


def downgrade() -> None:
    drop_outbox_trace_context()
