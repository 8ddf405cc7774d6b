"""Loans of copies, and the space members the library knows of (to check a borrower).

The copy key is checked at commit: reverting a merge deletes and inserts the same copies again
(handlers/merges.py), and their loans stay; removing a copy removes its loans first, and a title's
loans go with it (`media_id`, which a merge moves with the copies).

One open loan per copy is a partial unique index, so two people lending the same copy at once get
one loan and one conflict. The open loans' index serves the list's `on_loan` / `overdue` filters
per space; the reminder job reads the unreminded ones by due date. Loans advance the space's list
revision like titles and copies do (0004), as they change what those filters match.

`space_members` is filled from identity's membership events from this revision on; memberships
older than it are known once identity publishes them again (docs/library.md, "Loans").

Rollback: the downgrade drops both tables; loan history is lost.
"""

from alembic import op

revision = "0010_loans"
down_revision = "0009_facet_prefixes"
branch_labels = None
depends_on = None

_EVENTS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE loans (
            id uuid NOT NULL,
            space_id uuid NOT NULL,
            copy_id uuid NOT NULL,
            media_id uuid NOT NULL,
            borrower_user_id uuid,
            borrower_name varchar(200),
            lent_by uuid,
            lent_at timestamptz NOT NULL,
            due_at timestamptz,
            returned_at timestamptz,
            returned_by uuid,
            reminded_at timestamptz,
            CONSTRAINT pk_loans PRIMARY KEY (id),
            CONSTRAINT fk_loans_copy_id_copies FOREIGN KEY (copy_id) REFERENCES copies (id)
                DEFERRABLE INITIALLY DEFERRED,
            CONSTRAINT fk_loans_media_id_media FOREIGN KEY (media_id) REFERENCES media (id) ON DELETE CASCADE,
            CONSTRAINT ck_loans_one_borrower CHECK ((borrower_user_id IS NULL) <> (borrower_name IS NULL)),
            CONSTRAINT ck_loans_due_after_lent CHECK (due_at IS NULL OR due_at >= lent_at)
        )
        """
    )
    op.execute("CREATE UNIQUE INDEX ux_loans_open_copy ON loans (copy_id) WHERE returned_at IS NULL")
    op.execute("CREATE INDEX ix_loans_copy_id_lent_at ON loans (copy_id, lent_at DESC, id)")
    op.execute("CREATE INDEX ix_loans_media_id ON loans (media_id)")
    op.execute("CREATE INDEX ix_loans_space_lent_at ON loans (space_id, lent_at DESC, id)")
    op.execute("CREATE INDEX ix_loans_open ON loans (space_id, due_at) INCLUDE (media_id) WHERE returned_at IS NULL")
    op.execute("CREATE INDEX ix_loans_to_remind ON loans (due_at) WHERE returned_at IS NULL AND reminded_at IS NULL")
    for event, side in _EVENTS.items():
        op.execute(
            f"CREATE TRIGGER loans_{event}_advances_revision AFTER {event.upper()} ON loans"
            f" REFERENCING {side} TABLE AS changed_rows FOR EACH STATEMENT"
            " EXECUTE FUNCTION advance_space_revision()"
        )
    op.execute(
        """
        CREATE TABLE space_members (
            space_id uuid NOT NULL,
            user_id uuid NOT NULL,
            CONSTRAINT pk_space_members PRIMARY KEY (space_id, user_id)
        )
        """
    )
    op.execute("CREATE INDEX ix_space_members_user_id ON space_members (user_id)")


def downgrade() -> None:
    op.execute("DROP TABLE space_members")
    op.execute("DROP TABLE loans")
