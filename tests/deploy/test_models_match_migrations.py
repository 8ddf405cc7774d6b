"""Models and migrations agree: for every service, autogenerate finds nothing to change between its
SQLAlchemy tables and the schema its migrations build (tests/support/schema_drift.py says what is
compared). A model changed without a migration, or a migration without the model, fails here."""

import pytest
from sqlalchemy import Column, Index, MetaData, Text

from tests.support import infra
from tests.support.fixtures import TestDatabase as Database
from tests.support.schema_drift import drift, service_metadata


@pytest.mark.parametrize("service", infra.SERVICES)
async def test_the_models_match_the_schema_the_migrations_build(database: Database, service: str) -> None:
    assert await drift(database.service_url(service), service, service_metadata(service)) == []


def _library_with(change) -> MetaData:
    """A copy of the library's tables with one change the migrations do not make."""
    changed = MetaData(naming_convention=service_metadata("library").naming_convention)
    for table in service_metadata("library").sorted_tables:
        table.to_metadata(changed)
    change(changed.tables["media"])
    return changed


async def test_a_model_column_without_a_migration_is_drift(database: Database) -> None:
    broken = _library_with(lambda media: media.append_column(Column("shelf_colour", Text)))

    found = await drift(database.service_url("library"), "library", broken)

    assert [(d[0], d[2], d[3].name) for d in found] == [("add_column", "media", "shelf_colour")]


async def test_a_model_index_without_a_migration_is_drift(database: Database) -> None:
    broken = _library_with(lambda media: Index("ix_media_notes", media.c.notes))

    found = await drift(database.service_url("library"), "library", broken)

    assert [(d[0], d[1].name) for d in found] == [("add_index", "ix_media_notes")]
