"""The character each cast member plays, beside the names (`cast_characters[i]` is `cast_members[i]`'s).

Nullable, without a default: adding it rewrites nothing, and titles stored before it keep their cast
names with no characters until a refresh from TMDB fills them.

Rollback: the downgrade drops the column; the names stay, a refresh from TMDB fills the characters again.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0018_cast_characters"
down_revision = "0017_own_covers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("media", sa.Column("cast_characters", ARRAY(sa.Text), nullable=True))


def downgrade() -> None:
    op.drop_column("media", "cast_characters")
