"""Genre, director and cast filters match by prefix: a GIN index over the facets as a tsvector.

The facets are already folded (case and accents, `library.domain.titles.fold`); as the lexemes of
`array_to_tsvector(facets)` (immutable, so indexable) a prefix query (`'g:dra':*`) finds them through
the index. Space first in the index (btree_gin, checked by 0007), like the search index. Built and
dropped CONCURRENTLY, so writes to media go on meanwhile. Rollback drops the index.
"""

from shelfspace_kernel.migrations import create_index_concurrently, drop_index_concurrently

revision = "0009_facet_prefixes"
down_revision = "0008_outbox_trace_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_index_concurrently(
        "ix_media_live_facet_words", "ON media USING gin (space_id, array_to_tsvector(facets)) WHERE deleted_at IS NULL"
    )


def downgrade() -> None:
    drop_index_concurrently("ix_media_live_facet_words")
