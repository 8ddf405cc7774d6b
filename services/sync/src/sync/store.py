"""Tables of the sync schema: jobs (lease, checkpoint), per-step results, schedules, watchlists."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shelfspace_kernel.db import new_metadata

metadata: MetaData = new_metadata()

ACTIVE = text("status IN ('queued', 'running')")

jobs = Table(
    "sync_jobs",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("space_id", UUID(as_uuid=True), nullable=False),
    Column("created_by", UUID(as_uuid=True)),
    Column("provider", Text, nullable=False),
    Column("kind", Text, nullable=False),
    # What "one running job" means: the whole space for imports, one user for watchlists.
    Column("scope", Text, nullable=False, server_default="space"),
    Column("status", Text, nullable=False, server_default="queued"),
    Column("params", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("plan", JSONB),
    # The checkpoint: the next step to run and where it reads from.
    Column("step", Integer, nullable=False, server_default="0"),
    Column("cursor", JSONB),
    Column("total", Integer),
    Column("processed", Integer, nullable=False, server_default="0"),
    Column("n_created", Integer, nullable=False, server_default="0"),
    Column("n_updated", Integer, nullable=False, server_default="0"),
    Column("n_skipped", Integer, nullable=False, server_default="0"),
    Column("n_failed", Integer, nullable=False, server_default="0"),
    Column("errors", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("errors_total", Integer, nullable=False, server_default="0"),
    Column("error", Text),
    Column("cancel_requested", Boolean, nullable=False, server_default="false"),
    Column("lease_owner", Text),
    Column("lease_until", DateTime(timezone=True)),
    Column("enqueued_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("schedule_id", UUID(as_uuid=True)),
    Column("request_id", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("ix_sync_jobs_space_created", jobs.c.space_id, jobs.c.created_at.desc(), jobs.c.id.desc())
Index(
    "uq_sync_jobs_one_active",
    jobs.c.space_id,
    jobs.c.provider,
    jobs.c.kind,
    jobs.c.scope,
    unique=True,
    postgresql_where=ACTIVE,
)
Index("ix_sync_jobs_active", jobs.c.enqueued_at, postgresql_where=ACTIVE)

job_steps = Table(
    "sync_job_steps",
    metadata,
    Column("job_id", UUID(as_uuid=True), ForeignKey("sync_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("cursor", JSONB),
    Column("n_created", Integer, nullable=False),
    Column("n_updated", Integer, nullable=False),
    Column("n_skipped", Integer, nullable=False),
    Column("n_failed", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

schedules = Table(
    "sync_schedules",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("space_id", UUID(as_uuid=True), nullable=False),
    Column("provider", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("every_minutes", Integer, nullable=False),
    Column("enabled", Boolean, nullable=False, server_default="true"),
    Column("next_run_at", DateTime(timezone=True)),
    # Scheduled jobs act as the admin who saved the schedule.
    Column("created_by", UUID(as_uuid=True), nullable=False),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("last_job_id", UUID(as_uuid=True)),
    Column("last_run_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("space_id", "provider", "kind"),
)
Index("ix_sync_schedules_due", schedules.c.next_run_at, postgresql_where=text("enabled"))

# The instance's feature flags as identity last announced them (only those changed since 0002).
feature_flags = Table(
    "sync_feature_flags",
    metadata,
    Column("key", Text, primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# A user's watchlist as last synced from each provider (the watchlist belongs to the user, not a space).
watchlist_items = Table(
    "watchlist_items",
    metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("provider", Text, primary_key=True),
    Column("external_id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("year", Integer),
    Column("tmdb_id", Integer),
    Column("imdb_id", Text),
    Column("poster_url", Text),
    Column("position", Integer, nullable=False),
    Column("last_job_id", UUID(as_uuid=True), nullable=False),
    Column("synced_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# A file import's records, stored when the file is submitted and read a page per step; deleted
# when the job finishes (`jobs.finish_job`). `data` is a CSV row's cells or a JSON export's object.
file_rows = Table(
    "sync_file_rows",
    metadata,
    Column("job_id", UUID(as_uuid=True), ForeignKey("sync_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    # The row as a spreadsheet numbers it (header = 1), or the entry's position in a JSON list.
    Column("row_number", Integer, nullable=False),
    Column("data", JSONB, nullable=False),
    # What the TMDB enrichment found for the row ({"tmdb_id", "imdb_id"} or {"miss": why}); NULL: not asked.
    Column("enrichment", JSONB),
)

# A dry run's titles it would create, by match key (tmdb:…, imdb:…, title:…): a later row that
# matches one would update it (or change nothing, when it is the same row), as in the real run.
dry_titles = Table(
    "sync_file_dry_titles",
    metadata,
    Column("job_id", UUID(as_uuid=True), ForeignKey("sync_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("match_key", Text, primary_key=True),
    Column("external_id", Text, nullable=False),
    # The title's ids: a title + year match is not taken when they contradict the row's (as in the library).
    Column("tmdb_id", Integer),
    Column("imdb_id", Text),
)

# Every row a file import skipped or failed, with its reason (the job row keeps only the first ones).
row_errors = Table(
    "sync_job_row_errors",
    metadata,
    Column("job_id", UUID(as_uuid=True), ForeignKey("sync_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("row_number", Integer, primary_key=True),
    Column("outcome", Text, nullable=False),
    Column("item", Text, nullable=False),
    Column("reason", Text, nullable=False),
)
