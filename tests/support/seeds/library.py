"""Hand-written values for library columns whose constraints a generic value breaks (see generic.py)."""

from decimal import Decimal

OVERRIDES = {
    # ck_loans_one_borrower: a loan names either a member or a free-text borrower, never both;
    # ck_loans_due_after_lent: no due date is always valid.
    "loans": {"borrower_user_id": [None], "due_at": [None]},
    # ck_annotations_play_count: a play count is never negative (a one-sided range generic.py cannot bound).
    "annotations": {"play_count": [1]},
    # ck_copies_purchase_currency: three upper-case letters; ck_copies_purchase_price: a lower bound only.
    "copies": {"purchase_currency": ["EUR"], "purchase_price": [Decimal("12.50")]},
}
