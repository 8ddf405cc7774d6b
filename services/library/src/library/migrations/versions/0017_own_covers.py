"""Own covers: a title's uploaded cover, named by `cover_key` (the objects' random name in cover
storage, null when the title has none) and counted by `cover_version` (bumped on every upload).

Both columns are added without a table rewrite (a nullable column, and a constant default): each
statement only waits the run's short lock timeout (MIGRATION_LOCK_TIMEOUT, shelfspace_kernel.migrations)
for its lock, so a busy table makes the step retry instead of queueing every write behind it.

Rollback: the downgrade drops both columns; the stored cover images stay in cover storage, unnamed
(titles show their TMDB or Plex poster again). Upgrading again does not bring them back.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_own_covers"
down_revision = "0016_seasons"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("media", sa.Column("cover_key", sa.String(64), nullable=True))
    op.add_column("media", sa.Column("cover_version", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("media", "cover_version")
    op.drop_column("media", "cover_key")
