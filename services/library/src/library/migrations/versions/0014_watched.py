"""Watched state per user and title: when (`watched_at`), how often (`play_count`) and from where
(`watched_source`: manual, plex or trakt), on the user's annotation of the title.

The annotation row already is "one per user per title"; `watched_at` is the one source of truth for
whether it is watched. The old `watched` flag is kept written in step (`watched_at IS NOT NULL`) by
every write, so the previous release reads the right flag after a rollback; existing watched flags
get their annotation's `updated_at` as the date. A partial index on the watched rows serves the
list's `watched=` filter and its count per user and space; it is built CONCURRENTLY. The source
check is added NOT VALID and validated afterwards, so no write waits for a scan of the table.
`play_count` may be null (read as 0): a merge's snapshot taken before this revision has none.

Rollback: the downgrade drops the index, the check and the three columns; the dates, play counts
and sources are lost (the `watched` flags stay).
"""

from alembic import op

from shelfspace_kernel.migrations import create_index_concurrently, drop_index_concurrently

revision = "0014_watched"
down_revision = "0013_copy_purchase"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE annotations
            ADD COLUMN watched_at timestamptz,
            ADD COLUMN play_count integer DEFAULT 0,
            ADD COLUMN watched_source varchar(10)
        """
    )
    op.execute(
        "ALTER TABLE annotations ADD CONSTRAINT ck_annotations_watched_source"
        " CHECK (watched_source IN ('manual', 'plex', 'trakt')) NOT VALID"
    )
    op.execute("ALTER TABLE annotations ADD CONSTRAINT ck_annotations_play_count CHECK (play_count >= 0) NOT VALID")
    op.execute(
        "UPDATE annotations SET watched_at = updated_at, watched_source = 'manual', play_count = 1"
        " WHERE watched AND watched_at IS NULL"
    )
    op.execute("ALTER TABLE annotations VALIDATE CONSTRAINT ck_annotations_watched_source")
    op.execute("ALTER TABLE annotations VALIDATE CONSTRAINT ck_annotations_play_count")
    create_index_concurrently(
        "ix_annotations_watched", "ON annotations (user_id, space_id, media_id) WHERE watched_at IS NOT NULL"
    )


def downgrade() -> None:
    drop_index_concurrently("ix_annotations_watched")
    op.execute(
        "ALTER TABLE annotations DROP CONSTRAINT ck_annotations_play_count,"
        " DROP CONSTRAINT ck_annotations_watched_source,"
        " DROP COLUMN watched_source, DROP COLUMN play_count, DROP COLUMN watched_at"
    )
