"""Free tags on titles, and saved views of the library list.

A tag belongs to a space; its name is unique in the space whatever its case (`ux_tags_space_name`
on `lower(name)`), so a rename onto an existing name is a merge (handlers/tags.py). `media_tags`
links titles to tags; its index by tag serves the list's `tag=` filter, which reads the tag's
titles by key instead of scanning the space. Links and tags advance the space's list revision like
titles do (0004), as they change what the filter matches.

A saved view is a named query string of the library list, private to its owner or shared with
the space.

All three tables are new and empty, so their indexes are built in the revision's transaction.

Rollback: the downgrade drops the three tables; tags and saved views are lost.
"""

from alembic import op

revision = "0015_tags_views"
down_revision = "0014_watched"
branch_labels = None
depends_on = None

_EVENTS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE tags (
            id uuid NOT NULL,
            space_id uuid NOT NULL,
            name varchar(50) NOT NULL,
            created_at timestamptz NOT NULL,
            CONSTRAINT pk_tags PRIMARY KEY (id),
            CONSTRAINT ck_tags_name CHECK (char_length(btrim(name)) BETWEEN 1 AND 50)
        )
        """
    )
    op.execute("CREATE UNIQUE INDEX ux_tags_space_name ON tags (space_id, lower(name))")
    op.execute(
        """
        CREATE TABLE media_tags (
            media_id uuid NOT NULL,
            tag_id uuid NOT NULL,
            space_id uuid NOT NULL,
            CONSTRAINT pk_media_tags PRIMARY KEY (media_id, tag_id),
            CONSTRAINT fk_media_tags_media_id_media FOREIGN KEY (media_id) REFERENCES media (id) ON DELETE CASCADE,
            CONSTRAINT fk_media_tags_tag_id_tags FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
        )
        """
    )
    op.execute("CREATE INDEX ix_media_tags_tag_id_media_id ON media_tags (tag_id, media_id)")
    for table in ("tags", "media_tags"):
        for event, side in _EVENTS.items():
            op.execute(
                f"CREATE TRIGGER {table}_{event}_advances_revision AFTER {event.upper()} ON {table}"
                f" REFERENCING {side} TABLE AS changed_rows FOR EACH STATEMENT"
                " EXECUTE FUNCTION advance_space_revision()"
            )
    op.execute(
        """
        CREATE TABLE saved_views (
            id uuid NOT NULL,
            space_id uuid NOT NULL,
            owner_id uuid NOT NULL,
            name varchar(100) NOT NULL,
            query varchar(2000) NOT NULL,
            shared boolean NOT NULL,
            created_at timestamptz NOT NULL,
            CONSTRAINT pk_saved_views PRIMARY KEY (id)
        )
        """
    )
    op.execute("CREATE INDEX ix_saved_views_space_id_owner_id ON saved_views (space_id, owner_id)")


def downgrade() -> None:
    op.execute("DROP TABLE saved_views")
    op.execute("DROP TABLE media_tags")
    op.execute("DROP TABLE tags")
