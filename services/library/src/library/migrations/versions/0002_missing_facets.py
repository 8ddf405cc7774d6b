"""Facets `x:poster` and `x:copies` on titles without a poster / without any copy (`missing` filter).

New and changed titles get them from `derived_fields`; this fills them in on the titles stored before.
"""

from alembic import op

revision = "0002_missing_facets"
down_revision = "0001_library"
branch_labels = None
depends_on = None

# Facets stay sorted by code point, as Python's sorted() leaves them (UTF-8 under "C" sorts alike).
_ADD = """
    UPDATE media m SET facets = ARRAY(SELECT f FROM unnest(m.facets || ARRAY['{facet}']) f ORDER BY f COLLATE "C")
    WHERE {lacks} AND NOT m.facets @> ARRAY['{facet}']
"""
BACKFILL = [
    _ADD.format(facet="x:poster", lacks="(m.poster_url IS NULL OR m.poster_url = '')"),
    _ADD.format(facet="x:copies", lacks="NOT EXISTS (SELECT 1 FROM copies c WHERE c.media_id = m.id)"),
]


def upgrade() -> None:
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    op.execute(
        "UPDATE media SET facets = array_remove(array_remove(facets, 'x:poster'), 'x:copies')"
        " WHERE facets && ARRAY['x:poster', 'x:copies']"
    )
