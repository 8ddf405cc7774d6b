"""Tables of the library schema, as the migrations create them (SQLAlchemy Core)."""

from datetime import datetime

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from shelfspace_kernel.db import new_metadata

metadata = new_metadata()


def _timestamps() -> list[Column[datetime]]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    ]


media = Table(
    "media",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("title", String(500), nullable=False),
    Column("original_title", String(500)),
    Column("sort_title", String(500), nullable=False),
    Column("sort_key", Text, nullable=False),
    Column("media_type", String(20), nullable=False),
    Column("year", SmallInteger),
    Column("runtime_minutes", Integer),
    Column("overview", Text),
    Column("poster_url", String(2000)),
    Column("backdrop_url", String(2000)),
    Column("cover_key", String(64)),
    Column("cover_version", Integer, nullable=False, server_default="0"),
    Column("genres", ARRAY(Text), nullable=False),
    Column("directors", ARRAY(Text), nullable=False),
    Column("cast_members", ARRAY(Text), nullable=False),
    Column("cast_characters", ARRAY(Text)),
    Column("season_count", Integer),
    Column("episode_count", Integer),
    # Kept by triggers from `seasons` and the copies' season_numbers (migration 0016); NULL reads as 0.
    Column("seasons_total", SmallInteger, server_default="0"),
    Column("seasons_owned", SmallInteger, server_default="0"),
    Column("tmdb_id", Integer),
    Column("tmdb_media_type", String(5)),
    Column("imdb_id", String(12)),
    Column("tvdb_id", Integer),
    Column("rating", Float),
    Column("notes", Text),
    Column("added_by", Uuid),
    Column("added_by_name", String(200)),
    Column("facets", ARRAY(Text), nullable=False),
    Column("search_text", Text, nullable=False),
    *_timestamps(),
    Column("deleted_at", DateTime(timezone=True)),
    Column("deleted_by", Uuid),
)

copies = Table(
    "copies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("media_id", Uuid, ForeignKey("media.id", ondelete="CASCADE"), nullable=False),
    Column("format", String(20), nullable=False),
    Column("edition", String(200)),
    Column("barcode", String(64)),
    Column("region", String(20)),
    Column("location", String(200)),
    Column("notes", Text),
    Column("resolution", String(10)),
    Column("source_provider", String(40)),
    Column("source_external_id", String(200)),
    *_timestamps(),
    Column("season_numbers", ARRAY(SmallInteger), server_default="{}"),
    # What the copy cost, when and where it was bought, and its condition (migration 0013).
    Column("purchase_price", Numeric(12, 2)),
    Column("purchase_currency", CHAR(3)),
    Column("purchase_date", Date),
    Column("purchase_store", String(200)),
    Column("condition", String(20)),
    UniqueConstraint("space_id", "source_provider", "source_external_id", name="uq_copies_source"),
    # A title's copies in the order it lists them; also serves the foreign key (migration 0006).
    Index("ix_copies_media_id_created_at_id", "media_id", "created_at", "id"),
)

annotations = Table(
    "annotations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("media_id", Uuid, ForeignKey("media.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("rating", Float),
    Column("notes", Text),
    Column("watched", Boolean, nullable=False),
    Column("visibility", String(10), nullable=False),
    *_timestamps(),
    Column("watched_at", DateTime(timezone=True)),
    Column("play_count", Integer),
    Column("watched_source", String(10)),
    UniqueConstraint("media_id", "user_id", name="uq_annotations_media_id_user_id"),
)

media_identities = Table(
    "media_identities",
    metadata,
    Column("space_id", Uuid, primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("value", String(260), primary_key=True),
    Column("media_id", Uuid, ForeignKey("media.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("content_hash", String(64)),
)

merges = Table(
    "merges",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("survivor_id", Uuid, ForeignKey("media.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("duplicate_ids", ARRAY(Uuid), nullable=False),
    Column("snapshot", JSONB, nullable=False),
    Column("merged_by", Uuid),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("reverted_at", DateTime(timezone=True)),
    Column("reverted_by", Uuid),
)

space_counts = Table(
    "space_counts",
    metadata,
    Column("space_id", Uuid, primary_key=True),
    Column("live", BigInteger, nullable=False),
    # Advanced by triggers on every change of the space's titles, copies and annotations.
    Column("revision", BigInteger, nullable=False),
)

# Idempotency keys of the import upsert (handlers/import_keys.py).
import_batches = Table(
    "import_batches",
    metadata,
    Column("space_id", Uuid, primary_key=True),
    Column("batch_key", String(200), primary_key=True),
    Column("fingerprint", CHAR(64), nullable=False),
    Column("results", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

loans = Table(
    "loans",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("copy_id", Uuid, ForeignKey("copies.id", deferrable=True, initially="DEFERRED"), nullable=False),
    Column("media_id", Uuid, ForeignKey("media.id", ondelete="CASCADE"), nullable=False),
    # Exactly one of the two names the borrower: a member of the space, or anyone by name.
    Column("borrower_user_id", Uuid),
    Column("borrower_name", String(200)),
    Column("lent_by", Uuid),
    Column("lent_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True)),
    Column("returned_at", DateTime(timezone=True)),
    Column("returned_by", Uuid),
    # Set when the overdue reminder was claimed (handlers/loans.py), so it goes out once.
    Column("reminded_at", DateTime(timezone=True)),
)

# The space members the library knows of, from identity's membership events.
space_members = Table(
    "space_members",
    metadata,
    Column("space_id", Uuid, primary_key=True),
    Column("user_id", Uuid, primary_key=True),
)

wishes = Table(
    "wishes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("title", String(500), nullable=False),
    Column("year", SmallInteger),
    Column("media_type", String(20), nullable=False),
    Column("tmdb_id", Integer),
    Column("tmdb_media_type", String(5)),
    Column("imdb_id", String(12)),
    Column("poster_url", String(2000)),
    # 1 is wanted most; the list reads a space's wishes in this order.
    Column("priority", SmallInteger, nullable=False),
    Column("format_wanted", String(20)),
    Column("notes", Text),
    Column("added_by", Uuid),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# A show's seasons; 0 is "Specials" (migration 0016).
seasons = Table(
    "seasons",
    metadata,
    Column("media_id", Uuid, ForeignKey("media.id", ondelete="CASCADE"), primary_key=True),
    Column("number", SmallInteger, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("name", String(200), nullable=False),
    Column("year", SmallInteger),
    Column("episode_count", Integer),
)

MEDIA_COLUMNS = [column.name for column in media.columns]
COPY_COLUMNS = [column.name for column in copies.columns]

# A space's tags; a name is unique in the space whatever its case (ux_tags_space_name, migration 0015).
tags = Table(
    "tags",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("name", String(50), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

media_tags = Table(
    "media_tags",
    metadata,
    Column("media_id", Uuid, ForeignKey("media.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Uuid, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Column("space_id", Uuid, nullable=False),
    # The titles of a tag, for the list's `tag=` filter.
    Index("ix_media_tags_tag_id_media_id", "tag_id", "media_id"),
)

# Named query strings of the library list, private to their owner or shared with the space.
saved_views = Table(
    "saved_views",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, nullable=False),
    Column("owner_id", Uuid, nullable=False),
    Column("name", String(100), nullable=False),
    Column("query", String(2000), nullable=False),
    Column("shared", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_saved_views_space_id_owner_id", "space_id", "owner_id"),
)
