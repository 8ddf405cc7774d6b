"""collectZ-shaped databases of three schema generations, built by these tests (never collectZ's code).

The tables and columns follow collectZ's public migrations (hkrewson/collectZ, backend/db/migrations.js):
1.x (a single library, migrations 1-6), 2.x (libraries and library memberships, up to 27) and 3.x
(spaces and space memberships, owned formats, 0-10 user ratings, up to 116). Each database is created
on the test server and dropped afterwards.
"""

import base64
import contextlib
import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import bcrypt
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.support.infra import Postgres

COLLECTZ_KEY = "collectz-integration-key-for-tests"

COMMON = """
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE users (id SERIAL PRIMARY KEY, email VARCHAR(255) UNIQUE NOT NULL, password VARCHAR(255) NOT NULL,
    name VARCHAR(255) NOT NULL, role VARCHAR(50) DEFAULT 'user', created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE media (id SERIAL PRIMARY KEY, title VARCHAR(500) NOT NULL, original_title VARCHAR(500),
    release_date DATE, year INTEGER, format VARCHAR(50), genre VARCHAR(100), director VARCHAR(255),
    rating DECIMAL(3,1), user_rating DECIMAL(2,1), tmdb_id INTEGER, tmdb_url TEXT, poster_path TEXT,
    backdrop_path TEXT, overview TEXT, trailer_url TEXT, runtime INTEGER, upc VARCHAR(50), location VARCHAR(255),
    notes TEXT, added_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE media_metadata (id SERIAL PRIMARY KEY, media_id INTEGER REFERENCES media(id) ON DELETE CASCADE,
    key VARCHAR(100) NOT NULL, value TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE media_variants (id SERIAL PRIMARY KEY, media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    source VARCHAR(50) NOT NULL DEFAULT 'plex', source_item_key VARCHAR(255), source_media_id VARCHAR(255),
    source_part_id VARCHAR(255), edition VARCHAR(255), file_path TEXT, container VARCHAR(50),
    video_codec VARCHAR(50), audio_codec VARCHAR(50), resolution VARCHAR(50), video_width INTEGER,
    video_height INTEGER, audio_channels INTEGER, duration_ms INTEGER, runtime_minutes INTEGER, raw_json JSONB,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE app_integrations (id INTEGER PRIMARY KEY,
    barcode_preset VARCHAR(100) DEFAULT 'upcitemdb', barcode_api_url TEXT, barcode_api_key_encrypted TEXT,
    vision_preset VARCHAR(100) DEFAULT 'ocrspace', vision_api_url TEXT, vision_api_key_encrypted TEXT,
    tmdb_preset VARCHAR(100) DEFAULT 'tmdb', tmdb_api_url TEXT, tmdb_api_key_encrypted TEXT,
    plex_preset VARCHAR(100) DEFAULT 'plex', plex_api_url TEXT, plex_server_name VARCHAR(255),
    plex_api_key_encrypted TEXT, plex_library_sections JSONB DEFAULT '[]'::jsonb);
"""

LIBRARIES = """
ALTER TABLE media ADD COLUMN import_source VARCHAR(50) DEFAULT 'manual', ADD COLUMN media_type VARCHAR(20) DEFAULT 'movie',
    ADD COLUMN tmdb_media_type VARCHAR(20), ADD COLUMN season_number INTEGER, ADD COLUMN episode_number INTEGER,
    ADD COLUMN series_id INTEGER REFERENCES media(id) ON DELETE SET NULL, ADD COLUMN space_id INTEGER,
    ADD COLUMN library_id INTEGER;
CREATE TABLE libraries (id SERIAL PRIMARY KEY, space_id INTEGER, name VARCHAR(255) NOT NULL, description TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, archived_at TIMESTAMP);
CREATE TABLE library_memberships (user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE, role VARCHAR(20) DEFAULT 'member',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (user_id, library_id));
ALTER TABLE app_integrations ADD COLUMN space_id INTEGER;
"""

SPACES = """
CREATE TABLE spaces (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL, slug VARCHAR(255), description TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL, is_personal BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    archived_at TIMESTAMP);
CREATE TABLE space_memberships (id SERIAL PRIMARY KEY, space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, role VARCHAR(20) NOT NULL DEFAULT 'member',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE (space_id, user_id));
ALTER TABLE media ADD COLUMN owned_formats TEXT[] NOT NULL DEFAULT ARRAY[]::text[], ADD COLUMN cast_members VARCHAR(1000);
ALTER TABLE media ALTER COLUMN user_rating TYPE DECIMAL(3,1);
ALTER TABLE app_integrations ADD CONSTRAINT app_integrations_space_id_key UNIQUE (space_id);
"""

GENERATIONS = {"1.x": (6, [COMMON]), "2.x": (27, [COMMON, LIBRARIES]), "3.x": (116, [COMMON, LIBRARIES, SPACES])}


def collectz_hash(password: str) -> str:
    """A bcrypt hash as collectZ's bcryptjs writes it (`$2a$`)."""
    return "$2a$" + bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()[4:]


def collectz_seal(secret: str, key: str = COLLECTZ_KEY) -> str:
    """A secret sealed as collectZ seals integration secrets: AES-256-GCM under SHA-256 of its key."""
    iv = os.urandom(12)
    sealed = AESGCM(hashlib.sha256(key.encode()).digest()).encrypt(iv, secret.encode(), None)
    data, tag = sealed[:-16], sealed[-16:]
    return ":".join(base64.b64encode(part).decode() for part in (iv, tag, data))


@dataclass
class CollectzDb:
    """One collectZ database: its URL, a connection to fill it, and a suffix that keeps emails unique."""

    url: str
    conn: asyncpg.Connection
    generation: str
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def email(self, name: str) -> str:
        return f"{name}-{self.tag}@collectz.example"

    async def user(self, name: str, password: str, role: str = "user") -> int:
        return await self.conn.fetchval(
            "INSERT INTO users (email, password, name, role) VALUES ($1, $2, $3, $4) RETURNING id",
            self.email(name),
            collectz_hash(password),
            name.title(),
            role,
        )

    async def group(self, name: str, members: dict[int, str]) -> int:
        """A library (2.x) or a space (3.x) with its members (user id → role)."""
        table, link, column = (
            ("spaces", "space_memberships", "space_id")
            if self.generation == "3.x"
            else ("libraries", "library_memberships", "library_id")
        )
        group_id = await self.conn.fetchval(f"INSERT INTO {table} (name) VALUES ($1) RETURNING id", name)
        for user_id, role in members.items():
            await self.conn.execute(
                f"INSERT INTO {link} ({column}, user_id, role) VALUES ($1, $2, $3)",
                group_id,
                user_id,
                role,
            )
        return group_id

    async def media(self, title: str, **columns: Any) -> int:
        variants = columns.pop("variants", [])
        metadata = columns.pop("metadata", {})
        names = ["title", *columns]
        placeholders = ", ".join(f"${n}" for n in range(1, len(names) + 1))
        media_id = await self.conn.fetchval(
            f"INSERT INTO media ({', '.join(names)}) VALUES ({placeholders}) RETURNING id",
            title,
            *columns.values(),
        )
        for variant in variants:
            keys = ["media_id", *variant]
            marks = ", ".join(f"${n}" for n in range(1, len(keys) + 1))
            await self.conn.execute(
                f"INSERT INTO media_variants ({', '.join(keys)}) VALUES ({marks})",
                media_id,
                *variant.values(),
            )
        for key, value in metadata.items():
            await self.conn.execute(
                'INSERT INTO media_metadata (media_id, "key", value) VALUES ($1, $2, $3)', media_id, key, value
            )
        return media_id

    async def integrations(self, row_id: int, **columns: Any) -> None:
        names = ["id", *columns]
        marks = ", ".join(f"${n}" for n in range(1, len(names) + 1))
        await self.conn.execute(
            f"INSERT INTO app_integrations ({', '.join(names)}) VALUES ({marks})",
            row_id,
            *columns.values(),
        )


@contextlib.asynccontextmanager
async def collectz_database(postgres: Postgres, generation: str) -> AsyncIterator[CollectzDb]:
    """A fresh collectZ database of `generation` on the test server, dropped afterwards."""
    name = f"collectz_fixture_{generation[0]}x_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(postgres.url("postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = postgres.url(name)
        conn = await asyncpg.connect(url)
        try:
            version, scripts = GENERATIONS[generation]
            for script in scripts:
                await conn.execute(script)
            await conn.executemany(
                "INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
                [(n, f"migration {n}") for n in range(1, version + 1)],
            )
            yield CollectzDb(url, conn, generation)
        finally:
            await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
