"""A copy's purchase: one object (`price`, `currency`, `date`, `store`) in the API, four columns in `copies`."""

from typing import Any

Row = dict[str, Any]

PURCHASE_COLUMNS = {
    "price": "purchase_price",
    "currency": "purchase_currency",
    "date": "purchase_date",
    "store": "purchase_store",
}


def copy_columns(fields: Row) -> Row:
    """A copy's fields as the API takes them as `copies` columns; `purchase: null` clears all four."""
    if "purchase" not in fields:
        return fields
    columns = {name: value for name, value in fields.items() if name != "purchase"}
    purchase = fields["purchase"] or {}
    columns |= {column: purchase.get(name) for name, column in PURCHASE_COLUMNS.items()}
    return columns


def purchase_of(row: Row) -> Row | None:
    """The copy row's purchase as the API shows it, None when nothing of it is known."""
    purchase = {name: row.get(column) for name, column in PURCHASE_COLUMNS.items()}
    return purchase if any(value is not None for value in purchase.values()) else None
