"""A show's seasons, the seasons each copy holds, and the counts the list shows ("owned 3 of 5").

`seasons` has one row per (title, season number); 0 is "Specials". `copies.season_numbers` names the
seasons a copy holds (a "Seasons 1-3" set holds 1, 2 and 3). `media.seasons_total` (the recorded
seasons, specials left out) and `media.seasons_owned` (the recorded seasons, specials left out, that
some copy of the title holds) are kept by statement triggers in the writing transaction, so the list
reads two columns and no write path can forget them. Each statement recounts the titles it touched
once, and writes a title only when a count changed; copies without seasons (every movie's) touch none.

The columns are nullable with a default: a merge snapshot taken before this revision restores rows
without them (handlers/merges.py), which read as no seasons. The incomplete-shows filter walks a
partial index built CONCURRENTLY, so writes to media go on during the upgrade.

Rollback: the downgrade drops the index, the triggers, the table and the columns; recorded seasons and
the seasons copies hold are lost (a TMDB refresh or a Plex import records them again).
"""

from alembic import op

from shelfspace_kernel.migrations import create_index_concurrently, drop_index_concurrently

revision = "0016_seasons"
down_revision = "0015_tags_views"
branch_labels = None
depends_on = None

_TABLES = ("seasons", "copies")
_TRANSITIONS = {
    "insert": "NEW TABLE AS new_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
}


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE seasons (
            media_id uuid NOT NULL,
            number smallint NOT NULL,
            space_id uuid NOT NULL,
            name varchar(200) NOT NULL,
            year smallint,
            episode_count integer,
            CONSTRAINT pk_seasons PRIMARY KEY (media_id, number),
            CONSTRAINT fk_seasons_media_id_media FOREIGN KEY (media_id) REFERENCES media (id) ON DELETE CASCADE,
            CONSTRAINT ck_seasons_number CHECK (number BETWEEN 0 AND 999),
            CONSTRAINT ck_seasons_episode_count CHECK (episode_count >= 0)
        )
        """
    )
    op.execute("ALTER TABLE copies ADD COLUMN season_numbers smallint[] DEFAULT '{}'")
    op.execute("ALTER TABLE media ADD COLUMN seasons_total smallint DEFAULT 0")
    op.execute("ALTER TABLE media ADD COLUMN seasons_owned smallint DEFAULT 0")
    op.execute(
        """
        CREATE FUNCTION count_media_seasons(targets uuid[]) RETURNS void LANGUAGE sql AS $$
            UPDATE media m SET seasons_total = c.total, seasons_owned = c.owned
            FROM (
                SELECT t.id,
                    (SELECT count(*) FROM seasons s WHERE s.media_id = t.id AND s.number > 0) AS total,
                    (SELECT count(DISTINCT held.number)
                     FROM copies c CROSS JOIN LATERAL unnest(c.season_numbers) AS held(number)
                     WHERE c.media_id = t.id AND held.number > 0
                       AND held.number IN (SELECT s.number FROM seasons s WHERE s.media_id = t.id)) AS owned
                FROM (SELECT DISTINCT id FROM unnest(targets) AS u(id)) t
            ) c
            WHERE m.id = c.id AND (m.seasons_total, m.seasons_owned) IS DISTINCT FROM (c.total, c.owned)
        $$
        """
    )
    # Statement triggers: a statement writing many rows (an import's seasons, a merge's copies)
    # recounts each title it touched once; copies without seasons name no title.
    op.execute(
        """
        CREATE FUNCTION recount_media_seasons() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            touched uuid[];
        BEGIN
            IF TG_TABLE_NAME = 'seasons' AND TG_OP = 'DELETE' THEN
                touched := ARRAY(SELECT media_id FROM old_rows);
            ELSIF TG_TABLE_NAME = 'seasons' THEN
                touched := ARRAY(SELECT media_id FROM new_rows);
            ELSIF TG_OP = 'INSERT' THEN
                touched := ARRAY(SELECT media_id FROM new_rows WHERE cardinality(season_numbers) > 0);
            ELSIF TG_OP = 'DELETE' THEN
                touched := ARRAY(SELECT media_id FROM old_rows WHERE cardinality(season_numbers) > 0);
            ELSE
                touched := ARRAY(
                    SELECT media_id FROM old_rows WHERE cardinality(season_numbers) > 0
                    UNION SELECT media_id FROM new_rows WHERE cardinality(season_numbers) > 0
                );
            END IF;
            IF cardinality(touched) > 0 THEN
                PERFORM count_media_seasons(touched);
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    for table in _TABLES:
        for event, tables in _TRANSITIONS.items():
            op.execute(
                f"CREATE TRIGGER {table}_{event}_recounts_seasons AFTER {event.upper()} ON {table}"
                f" REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION recount_media_seasons()"
            )
    create_index_concurrently(
        "ix_media_live_incomplete",
        "ON media (space_id, sort_key) WHERE deleted_at IS NULL AND seasons_owned < seasons_total",
    )


def downgrade() -> None:
    drop_index_concurrently("ix_media_live_incomplete")
    for table in _TABLES:
        for event in _TRANSITIONS:
            op.execute(f"DROP TRIGGER {table}_{event}_recounts_seasons ON {table}")
    op.execute("DROP TABLE seasons")
    op.execute("DROP FUNCTION recount_media_seasons()")
    op.execute("DROP FUNCTION count_media_seasons(uuid[])")
    op.execute("ALTER TABLE media DROP COLUMN seasons_owned")
    op.execute("ALTER TABLE media DROP COLUMN seasons_total")
    op.execute("ALTER TABLE copies DROP COLUMN season_numbers")
