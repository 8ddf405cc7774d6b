"""A revision per space that every change of its titles, copies or annotations advances.

The list caches filtered counts under the space's revision (store/list_counts.py); statement
triggers advance it in the writing transaction, so no write path can forget to. The year index
also carries the facets, so a year range with facets is counted from the index alone.
"""

from alembic import op

revision = "0004_list_revisions"
down_revision = "0003_import_batches"
branch_labels = None
depends_on = None

_TABLES = ("media", "copies", "annotations")
_EVENTS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}


def upgrade() -> None:
    op.execute("ALTER TABLE space_counts ADD COLUMN revision bigint NOT NULL DEFAULT 0")
    op.execute(
        """
        CREATE FUNCTION advance_space_revision() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE space_counts SET revision = revision + 1
            WHERE space_id IN (SELECT DISTINCT space_id FROM changed_rows);
            RETURN NULL;
        END
        $$
        """
    )
    for table in _TABLES:
        for event, side in _EVENTS.items():
            op.execute(
                f"CREATE TRIGGER {table}_{event}_advances_revision AFTER {event.upper()} ON {table}"
                f" REFERENCING {side} TABLE AS changed_rows FOR EACH STATEMENT"
                " EXECUTE FUNCTION advance_space_revision()"
            )
    op.execute(
        "CREATE INDEX ix_media_live_year_facets ON media (space_id, year, id) INCLUDE (facets) WHERE deleted_at IS NULL"
    )
    op.execute("DROP INDEX ix_media_live_year")


def downgrade() -> None:
    op.execute("CREATE INDEX ix_media_live_year ON media (space_id, year, id) WHERE deleted_at IS NULL")
    op.execute("DROP INDEX ix_media_live_year_facets")
    for table in _TABLES:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER {table}_{event}_advances_revision ON {table}")
    op.execute("DROP FUNCTION advance_space_revision()")
    op.execute("ALTER TABLE space_counts DROP COLUMN revision")
