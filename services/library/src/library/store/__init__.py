"""The library schema: tables (created by the migrations) and the queries on them."""

from library.store.tables import metadata

__all__ = ["metadata"]
