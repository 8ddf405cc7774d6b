"""Tables of the audit schema."""

from sqlalchemy import Column, DateTime, String, Table, Text, Uuid, func
from sqlalchemy.dialects.postgresql import JSONB

from shelfspace_kernel.db import new_metadata

metadata = new_metadata()

activity_log = Table(
    "activity_log",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("action", String(200), nullable=False),
    Column("producer", String(100)),
    Column("user_id", Uuid),
    Column("space_id", Uuid),
    Column("entity_type", String(100)),
    Column("entity_id", Text),
    Column("details", JSONB, nullable=False),
    Column("request_id", String(100)),
    # When the event happened (its `occurred_at`), and when this log wrote it down.
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Names resolved when the row was written (audit.names), kept when the user or space goes.
    Column("actor_name", Text),
    Column("space_name", Text),
    Column("subject_name", Text),
)

# The names of users and spaces, learnt from identity events and never forgotten.
known_names = Table(
    "known_names",
    metadata,
    Column("kind", String(10), primary_key=True),
    Column("id", Uuid, primary_key=True),
    Column("name", Text),
    Column("email", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
