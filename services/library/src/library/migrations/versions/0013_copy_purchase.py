"""What a copy cost, when and where it was bought, and its condition; nullable columns on `copies`.

The checks are added NOT VALID and validated afterwards, so the table is locked only for the
catalogue change and the scan of existing copies (all NULL in the new columns) lets writes go on.
The date's "not in the future" rule needs the clock, so it lives in the API, not in a check.

Rollback: the downgrade drops the five columns; every copy's purchase details and condition are lost.
"""

from alembic import op

revision = "0013_copy_purchase"
down_revision = "0012_wishlist"
branch_labels = None
depends_on = None

CONDITIONS = ("mint", "near_mint", "very_good", "good", "fair", "poor")
_CHECKS = {
    "ck_copies_purchase_price": "purchase_price >= 0",
    "ck_copies_purchase_currency": "purchase_currency ~ '^[A-Z]{3}$'",
    "ck_copies_price_has_currency": "purchase_price IS NULL OR purchase_currency IS NOT NULL",
    "ck_copies_condition": "condition IN ({})".format(", ".join(f"'{name}'" for name in CONDITIONS)),
}


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE copies
            ADD COLUMN purchase_price numeric(12, 2),
            ADD COLUMN purchase_currency char(3),
            ADD COLUMN purchase_date date,
            ADD COLUMN purchase_store varchar(200),
            ADD COLUMN condition varchar(20)
        """
    )
    for name, definition in _CHECKS.items():
        op.execute(f"ALTER TABLE copies ADD CONSTRAINT {name} CHECK ({definition}) NOT VALID")
    for name in _CHECKS:
        op.execute(f"ALTER TABLE copies VALIDATE CONSTRAINT {name}")


def downgrade() -> None:
    for name in _CHECKS:
        op.execute(f"ALTER TABLE copies DROP CONSTRAINT {name}")
    op.execute(
        "ALTER TABLE copies DROP COLUMN condition, DROP COLUMN purchase_store, DROP COLUMN purchase_date,"
        " DROP COLUMN purchase_currency, DROP COLUMN purchase_price"
    )
