"""Copies indexed in the order a title lists them (created_at, id), in place of the plain index.

A list page aggregates each title's copies from this index as they come, without a sort per title;
the foreign key to media is still served by its leading column.

Both indexes are built and dropped CONCURRENTLY, so writes to copies go on during the upgrade (and a rollback).
"""

from shelfspace_kernel.migrations import create_index_concurrently, drop_index_concurrently

revision = "0006_copies_in_order"
down_revision = "0005_search_statistics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_index_concurrently("ix_copies_media_id_created_at_id", "ON copies (media_id, created_at, id)")
    drop_index_concurrently("ix_copies_media_id")


def downgrade() -> None:
    create_index_concurrently("ix_copies_media_id", "ON copies (media_id)")
    drop_index_concurrently("ix_copies_media_id_created_at_id")
