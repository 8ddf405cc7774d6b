"""The wishlist of each space: titles wanted, not owned, with a priority, the format wanted and notes.

One wish per TMDB id and type in a space is a partial unique index, so two people wishing the same
title at once get one wish and one conflict. The list reads a space's wishes by priority.

Rollback: the downgrade drops the table; the space's wishes are lost.
"""

from alembic import op

revision = "0012_wishlist"
down_revision = "0011_backdrop_url"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE wishes (
            id uuid NOT NULL,
            space_id uuid NOT NULL,
            title varchar(500) NOT NULL,
            year smallint,
            media_type varchar(20) NOT NULL,
            tmdb_id integer,
            tmdb_media_type varchar(5),
            imdb_id varchar(12),
            poster_url varchar(2000),
            priority smallint NOT NULL,
            format_wanted varchar(20),
            notes text,
            added_by uuid,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            CONSTRAINT pk_wishes PRIMARY KEY (id),
            CONSTRAINT ck_wishes_priority CHECK (priority BETWEEN 1 AND 5)
        )
        """
    )
    op.execute(
        "CREATE UNIQUE INDEX ux_wishes_tmdb ON wishes (space_id, tmdb_media_type, tmdb_id) WHERE tmdb_id IS NOT NULL"
    )
    op.execute("CREATE INDEX ix_wishes_space_priority ON wishes (space_id, priority, created_at, id)")


def downgrade() -> None:
    op.execute("DROP TABLE wishes")
