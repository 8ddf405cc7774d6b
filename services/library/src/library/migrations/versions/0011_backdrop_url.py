"""A title's backdrop artwork (TMDB's wide image), shown behind its page; nullable, nothing else changes.

Rollback: the downgrade drops the column; a refresh from TMDB fills it again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_backdrop_url"
down_revision = "0010_loans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("media", sa.Column("backdrop_url", sa.String(2000), nullable=True))


def downgrade() -> None:
    op.drop_column("media", "backdrop_url")
