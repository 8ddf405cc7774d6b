"""Sync jobs (status, checkpoint, lease, counts), per-step results, per-space schedules, watchlists.

At most one active job per (space, provider, kind, scope): a partial unique index, so a second
import request finds the running job instead of starting another.
"""

from alembic import op

revision = "0001_sync"
down_revision = "0000_messaging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE sync_jobs (
            id uuid NOT NULL,
            space_id uuid NOT NULL,
            created_by uuid,
            provider text NOT NULL,
            kind text NOT NULL,
            scope text NOT NULL DEFAULT 'space',
            status text NOT NULL DEFAULT 'queued',
            params jsonb NOT NULL DEFAULT '{}'::jsonb,
            plan jsonb,
            step integer NOT NULL DEFAULT 0,
            cursor jsonb,
            total integer,
            processed integer NOT NULL DEFAULT 0,
            n_created integer NOT NULL DEFAULT 0,
            n_updated integer NOT NULL DEFAULT 0,
            n_skipped integer NOT NULL DEFAULT 0,
            n_failed integer NOT NULL DEFAULT 0,
            errors jsonb NOT NULL DEFAULT '[]'::jsonb,
            errors_total integer NOT NULL DEFAULT 0,
            error text,
            cancel_requested boolean NOT NULL DEFAULT false,
            lease_owner text,
            lease_until timestamptz,
            enqueued_at timestamptz,
            attempts integer NOT NULL DEFAULT 0,
            schedule_id uuid,
            request_id text,
            created_at timestamptz NOT NULL DEFAULT now(),
            started_at timestamptz,
            finished_at timestamptz,
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_sync_jobs PRIMARY KEY (id),
            CONSTRAINT ck_sync_jobs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'))
        )
        """
    )
    op.execute("CREATE INDEX ix_sync_jobs_space_created ON sync_jobs (space_id, created_at DESC, id DESC)")
    op.execute(
        "CREATE UNIQUE INDEX uq_sync_jobs_one_active ON sync_jobs (space_id, provider, kind, scope) "
        "WHERE status IN ('queued', 'running')"
    )
    op.execute("CREATE INDEX ix_sync_jobs_active ON sync_jobs (enqueued_at) WHERE status IN ('queued', 'running')")
    op.execute(
        """
        CREATE TABLE sync_job_steps (
            job_id uuid NOT NULL,
            step integer NOT NULL,
            cursor jsonb,
            n_created integer NOT NULL,
            n_updated integer NOT NULL,
            n_skipped integer NOT NULL,
            n_failed integer NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_sync_job_steps PRIMARY KEY (job_id, step),
            CONSTRAINT fk_sync_job_steps_job_id_sync_jobs FOREIGN KEY (job_id) REFERENCES sync_jobs (id)
                ON DELETE CASCADE
        )
        """
    )
    op.execute(
        """
        CREATE TABLE sync_schedules (
            id uuid NOT NULL,
            space_id uuid NOT NULL,
            provider text NOT NULL,
            kind text NOT NULL,
            every_minutes integer NOT NULL,
            enabled boolean NOT NULL DEFAULT true,
            next_run_at timestamptz,
            created_by uuid NOT NULL,
            failures integer NOT NULL DEFAULT 0,
            last_error text,
            last_job_id uuid,
            last_run_at timestamptz,
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_sync_schedules PRIMARY KEY (id),
            CONSTRAINT uq_sync_schedules_space_id_provider_kind UNIQUE (space_id, provider, kind)
        )
        """
    )
    op.execute("CREATE INDEX ix_sync_schedules_due ON sync_schedules (next_run_at) WHERE enabled")
    op.execute(
        """
        CREATE TABLE watchlist_items (
            user_id uuid NOT NULL,
            provider text NOT NULL,
            external_id text NOT NULL,
            title text NOT NULL,
            media_type text NOT NULL,
            year integer,
            tmdb_id integer,
            imdb_id text,
            poster_url text,
            position integer NOT NULL,
            last_job_id uuid NOT NULL,
            synced_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_watchlist_items PRIMARY KEY (user_id, provider, external_id)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE watchlist_items")
    op.execute("DROP TABLE sync_schedules")
    op.execute("DROP TABLE sync_job_steps")
    op.execute("DROP TABLE sync_jobs")
