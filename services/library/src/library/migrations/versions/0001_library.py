"""Library tables: media, copies, annotations, provider identities, merges, per-space counts."""

from alembic import op

revision = "0001_library"
down_revision = "0000_messaging"
branch_labels = None
depends_on = None

_LIVE = "WHERE deleted_at IS NULL"

_STATEMENTS = [
    """
    CREATE TABLE media (
        id uuid PRIMARY KEY,
        space_id uuid NOT NULL,
        title varchar(500) NOT NULL,
        original_title varchar(500),
        sort_title varchar(500) NOT NULL,
        sort_key text COLLATE "C" NOT NULL,
        media_type varchar(20) NOT NULL CONSTRAINT ck_media_media_type
            CHECK (media_type IN ('movie', 'tv_series', 'other')),
        year smallint CONSTRAINT ck_media_year CHECK (year BETWEEN 1870 AND 2100),
        runtime_minutes integer CONSTRAINT ck_media_runtime CHECK (runtime_minutes BETWEEN 0 AND 100000),
        overview text,
        poster_url varchar(2000),
        genres text[] NOT NULL DEFAULT '{}',
        directors text[] NOT NULL DEFAULT '{}',
        cast_members text[] NOT NULL DEFAULT '{}',
        season_count integer,
        episode_count integer,
        tmdb_id integer,
        tmdb_media_type varchar(5) CONSTRAINT ck_media_tmdb_media_type CHECK (tmdb_media_type IN ('movie', 'tv')),
        imdb_id varchar(12),
        tvdb_id integer,
        rating double precision CONSTRAINT ck_media_rating CHECK (rating BETWEEN 0 AND 10),
        notes text,
        added_by uuid,
        added_by_name varchar(200),
        facets text[] NOT NULL DEFAULT '{}',
        search_text text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        deleted_by uuid
    )
    """,
    "CREATE INDEX ix_media_space_id ON media (space_id)",
    "CREATE INDEX ix_media_added_by ON media (added_by) WHERE added_by IS NOT NULL",
    f"CREATE INDEX ix_media_live_title ON media (space_id, sort_key, id) {_LIVE}",
    f"CREATE INDEX ix_media_live_added ON media (space_id, created_at, id) {_LIVE}",
    f"CREATE INDEX ix_media_live_year ON media (space_id, year, id) {_LIVE}",
    f"CREATE INDEX ix_media_live_rating ON media (space_id, rating, id) {_LIVE}",
    f"CREATE INDEX ix_media_live_runtime ON media (space_id, runtime_minutes, id) {_LIVE}",
    f"CREATE INDEX ix_media_live_id ON media (space_id, id) {_LIVE}",
    f"CREATE INDEX ix_media_live_facets ON media USING gin (facets) {_LIVE}",
    f"CREATE INDEX ix_media_live_search ON media USING gin (search_text gin_trgm_ops) {_LIVE}",
    f"CREATE INDEX ix_media_live_title_trgm ON media USING gin (sort_key gin_trgm_ops) {_LIVE}",
    "CREATE INDEX ix_media_tmdb ON media (space_id, tmdb_id, tmdb_media_type) WHERE tmdb_id IS NOT NULL",
    "CREATE INDEX ix_media_imdb ON media (space_id, imdb_id) WHERE imdb_id IS NOT NULL",
    "CREATE INDEX ix_media_trash ON media (space_id, deleted_at, id) WHERE deleted_at IS NOT NULL",
    "CREATE INDEX ix_media_purge ON media (deleted_at) WHERE deleted_at IS NOT NULL",
    """
    CREATE TABLE copies (
        id uuid PRIMARY KEY,
        space_id uuid NOT NULL,
        media_id uuid NOT NULL CONSTRAINT fk_copies_media_id_media REFERENCES media (id) ON DELETE CASCADE,
        format varchar(20) NOT NULL CONSTRAINT ck_copies_format
            CHECK (format IN ('4K UHD', 'Blu-ray', 'DVD', 'VHS', 'LaserDisc', 'Digital', 'Other')),
        edition varchar(200),
        barcode varchar(64),
        region varchar(20),
        location varchar(200),
        notes text,
        resolution varchar(10) CONSTRAINT ck_copies_resolution CHECK (resolution IN ('sd', '720p', '1080p', '4k')),
        source_provider varchar(40),
        source_external_id varchar(200),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_copies_source UNIQUE (space_id, source_provider, source_external_id)
    )
    """,
    "CREATE INDEX ix_copies_media_id ON copies (media_id)",
    """
    CREATE TABLE annotations (
        id uuid PRIMARY KEY,
        space_id uuid NOT NULL,
        media_id uuid NOT NULL CONSTRAINT fk_annotations_media_id_media REFERENCES media (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        rating double precision CONSTRAINT ck_annotations_rating CHECK (rating BETWEEN 0 AND 10),
        notes text,
        watched boolean NOT NULL DEFAULT false,
        visibility varchar(10) NOT NULL CONSTRAINT ck_annotations_visibility
            CHECK (visibility IN ('private', 'shared')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_annotations_media_id_user_id UNIQUE (media_id, user_id)
    )
    """,
    "CREATE INDEX ix_annotations_user_rating ON annotations (user_id, space_id, rating, media_id)",
    "CREATE INDEX ix_annotations_space_id ON annotations (space_id)",
    """
    CREATE TABLE media_identities (
        space_id uuid NOT NULL,
        kind varchar(10) NOT NULL,
        value varchar(260) NOT NULL,
        media_id uuid NOT NULL CONSTRAINT fk_media_identities_media_id_media REFERENCES media (id) ON DELETE CASCADE,
        content_hash varchar(64),
        CONSTRAINT pk_media_identities PRIMARY KEY (space_id, kind, value)
    )
    """,
    "CREATE INDEX ix_media_identities_media_id ON media_identities (media_id)",
    """
    CREATE TABLE merges (
        id uuid PRIMARY KEY,
        space_id uuid NOT NULL,
        survivor_id uuid NOT NULL CONSTRAINT fk_merges_survivor_id_media REFERENCES media (id) ON DELETE CASCADE,
        duplicate_ids uuid[] NOT NULL,
        snapshot jsonb NOT NULL,
        merged_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        reverted_at timestamptz,
        reverted_by uuid
    )
    """,
    "CREATE INDEX ix_merges_survivor_id ON merges (survivor_id)",
    "CREATE INDEX ix_merges_space_id ON merges (space_id, created_at)",
    """
    CREATE TABLE space_counts (
        space_id uuid PRIMARY KEY,
        live bigint NOT NULL DEFAULT 0
    )
    """,
]


def upgrade() -> None:
    for statement in _STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for table in ("space_counts", "merges", "media_identities", "annotations", "copies", "media"):
        op.execute(f"DROP TABLE {table}")
