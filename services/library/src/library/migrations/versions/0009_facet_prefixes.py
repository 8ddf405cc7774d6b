"""Genre, director and cast filters match by prefix: a trigram index over the facets as one text.

The facets are already folded (case and accents, `library.domain.titles.fold`), so a prefix of a
folded name matches `|g:<prefix>` in `facet_text(facets)` with a LIKE the index serves. Space first
in the index, like the search index (0007). Rollback drops the index and the function.
"""

from alembic import op

revision = "0009_facet_prefixes"
down_revision = "0008_outbox_trace_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # array_to_string is only STABLE in general; over text[] it depends on nothing but its input.
    op.execute(
        "CREATE FUNCTION facet_text(facets text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE"
        " AS $$ SELECT '|' || array_to_string(facets, '|') || '|' $$"
    )
    op.execute(
        "CREATE INDEX ix_media_live_facet_text ON media USING gin (space_id, facet_text(facets) gin_trgm_ops)"
        " WHERE deleted_at IS NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_media_live_facet_text")
    op.execute("DROP FUNCTION facet_text(text[])")
