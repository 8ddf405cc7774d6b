"""The search index keyed by space first, in place of the trigram index over every space.

A search used to intersect the trigram matches of all spaces with a bitmap of the caller's whole
space (100,000 entries for a large collection, half the statement's time). With `space_id` in the
same GIN index (`btree_gin`), the index hands out the space's matches only.

`btree_gin` is created by deploy/postgres/bootstrap.sh (and the CloudNativePG init) like pg_trgm:
the service's role may not create extensions. An install bootstrapped before this release runs the
bootstrap again first (docs/operations/upgrade.md); without the extension this revision stops with
that instruction and changes nothing.

Both indexes are built and dropped CONCURRENTLY, so writes to media go on during the upgrade (and a rollback).
"""

from alembic import op
from sqlalchemy import text

from shelfspace_kernel.migrations import create_index_concurrently, drop_index_concurrently

revision = "0007_search_per_space"
down_revision = "0006_copies_in_order"
branch_labels = None
depends_on = None

MISSING_EXTENSION = (
    "Library migration 0007 needs the Postgres extension btree_gin, which the service's role may not create."
    " Run deploy/postgres/bootstrap.sh again as a superuser (it is idempotent; with docker compose:"
    " `docker compose exec postgres bash /docker-entrypoint-initdb.d/10-shelfspace.sh`), or run"
    " `CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA extensions` in the Shelfspace database, then migrate again."
)


def upgrade() -> None:
    if not op.get_bind().scalar(text("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin')")):
        raise RuntimeError(MISSING_EXTENSION)
    create_index_concurrently(
        "ix_media_live_space_search",
        "ON media USING gin (space_id, search_text gin_trgm_ops) WHERE deleted_at IS NULL",
    )
    drop_index_concurrently("ix_media_live_search")


def downgrade() -> None:
    create_index_concurrently(
        "ix_media_live_search", "ON media USING gin (search_text gin_trgm_ops) WHERE deleted_at IS NULL"
    )
    drop_index_concurrently("ix_media_live_space_search")
