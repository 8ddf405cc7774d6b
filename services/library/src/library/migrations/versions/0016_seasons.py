"""A show's seasons, the seasons each copy holds, and the counts the list shows ("owned 3 of 5").

`seasons` has one row per (title, season number); 0 is "Specials". `copies.season_numbers` names the
seasons a copy holds (a "Seasons 1-3" set holds 1, 2 and 3). `media.seasons_total` (the recorded
seasons, specials left out) and `media.seasons_owned` (the recorded seasons, specials left out, that
some copy of the title holds) are kept by row triggers in the writing transaction, so the list reads
two columns and no write path can forget them; a copy without seasons (every movie's) fires nothing.

The columns are nullable with a default: a merge snapshot taken before this revision restores rows
without them (handlers/merges.py), which read as no seasons. The incomplete-shows filter walks a
partial index built CONCURRENTLY, so writes to media go on during the upgrade.

Rollback: the downgrade drops the index, the triggers, the table and the columns; recorded seasons and
the seasons copies hold are lost (a TMDB refresh or a Plex import records them again).
"""

from alembic import op

from shelfspace_kernel.migrations import create_index_concurrently, drop_index_concurrently

revision = "0016_seasons"
down_revision = "0012_wishlist"
branch_labels = None
depends_on = None


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
        CREATE FUNCTION count_media_seasons(target uuid) RETURNS void LANGUAGE sql AS $$
            UPDATE media SET
                seasons_total = (SELECT count(*) FROM seasons s WHERE s.media_id = target AND s.number > 0),
                seasons_owned = (
                    SELECT count(DISTINCT held.number) FROM copies c CROSS JOIN LATERAL unnest(c.season_numbers) held(number)
                    WHERE c.media_id = target AND held.number > 0
                      AND held.number IN (SELECT s.number FROM seasons s WHERE s.media_id = target)
                )
            WHERE id = target
        $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION recount_media_seasons() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM count_media_seasons(OLD.media_id);
            END IF;
            IF TG_OP = 'INSERT' OR NEW.media_id <> OLD.media_id THEN
                PERFORM count_media_seasons(NEW.media_id);
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER seasons_recount AFTER INSERT OR UPDATE OR DELETE ON seasons"
        " FOR EACH ROW EXECUTE FUNCTION recount_media_seasons()"
    )
    op.execute(
        "CREATE TRIGGER copies_insert_recounts_seasons AFTER INSERT ON copies FOR EACH ROW"
        " WHEN (cardinality(NEW.season_numbers) > 0) EXECUTE FUNCTION recount_media_seasons()"
    )
    op.execute(
        "CREATE TRIGGER copies_delete_recounts_seasons AFTER DELETE ON copies FOR EACH ROW"
        " WHEN (cardinality(OLD.season_numbers) > 0) EXECUTE FUNCTION recount_media_seasons()"
    )
    op.execute(
        "CREATE TRIGGER copies_update_recounts_seasons AFTER UPDATE OF season_numbers, media_id ON copies FOR EACH ROW"
        " WHEN (OLD.season_numbers IS DISTINCT FROM NEW.season_numbers"
        " OR (OLD.media_id <> NEW.media_id AND cardinality(NEW.season_numbers) > 0))"
        " EXECUTE FUNCTION recount_media_seasons()"
    )
    create_index_concurrently(
        "ix_media_live_incomplete",
        "ON media (space_id, sort_key) WHERE deleted_at IS NULL AND seasons_owned < seasons_total",
    )


def downgrade() -> None:
    drop_index_concurrently("ix_media_live_incomplete")
    op.execute("DROP TRIGGER copies_update_recounts_seasons ON copies")
    op.execute("DROP TRIGGER copies_delete_recounts_seasons ON copies")
    op.execute("DROP TRIGGER copies_insert_recounts_seasons ON copies")
    op.execute("DROP TABLE seasons")
    op.execute("DROP FUNCTION recount_media_seasons()")
    op.execute("DROP FUNCTION count_media_seasons(uuid)")
    op.execute("ALTER TABLE media DROP COLUMN seasons_owned")
    op.execute("ALTER TABLE media DROP COLUMN seasons_total")
    op.execute("ALTER TABLE copies DROP COLUMN season_numbers")
