"""Seed the library schema fast: COPY rows exactly as the service would have written them.

Derived columns (sort_title, sort_key, facets, search_text) come from the service's own
`derived_fields`, identity claims from its own `identity_claims`, so a seeded title is
indistinguishable from one created through the API. Generation is deterministic (seeded RNG).
"""

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import asyncpg

from library.domain.imports import identity_claims
from library.store.media import derived_fields
from library.store.tables import COPY_COLUMNS, MEDIA_COLUMNS

# The word that about 1% of titles carry (what the `q` shape searches for).
RARE_WORD = "Zephyr"
GENRES = [
    "Drama", "Comedy", "Action", "Thriller", "Horror", "Romance", "Science Fiction", "Fantasy", "Animation",
    "Documentary", "Crime", "Mystery", "Adventure", "Family", "War", "Western", "Music", "History", "Biography",
    "Sport",
]  # fmt: skip
FORMATS = ["4K UHD", "Blu-ray", "Blu-ray", "DVD", "DVD", "DVD", "VHS", "LaserDisc", "Digital", "Other"]
RESOLUTIONS = [None, "sd", "720p", "1080p", "4k"]
ARTICLES = ["The", "The", "The", "A", "An", "La", "Le", "Les", "Der", "Die", "El", "L'"]
_SYLLABLES = [
    "ka", "lo", "mi", "ra", "ten", "vor", "shi", "del", "an", "bri", "cor", "dun", "el", "fa", "gri", "hol", "is",
    "jo", "kel", "lum", "mor", "nav", "os", "pel", "qui", "ros", "sar", "tur", "ul", "ven", "wyn", "xa", "yor",
    "zu", "é", "ño", "ber", "cas", "dor", "est",
]  # fmt: skip
_COMMON = [
    "night", "love", "city", "last", "dark", "house", "man", "woman", "war", "star", "river", "summer", "winter",
    "story", "road", "king", "girl", "boy", "dead", "blue", "red", "time", "home", "black", "white", "secret",
    "lost", "world", "heart", "fire", "sea", "moon", "sun", "day", "life", "game", "shadow", "queen", "island",
]  # fmt: skip


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set(_COMMON)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        if "zeph" not in word and "ephy" not in word:
            words.add(word)
    return sorted(words)


@dataclass
class SpacePlan:
    space_id: uuid.UUID
    titles: int
    owner: uuid.UUID
    others: list[uuid.UUID] = field(default_factory=list)


@dataclass
class Pools:
    words: list[str]
    people: list[str]
    directors: list[str]


def make_pools(rng: random.Random) -> Pools:
    words = _vocabulary(rng, 3000)
    firsts = [w.capitalize() for w in rng.sample(words, 400)]
    lasts = [w.capitalize() for w in rng.sample(words, 600)]
    people = sorted({f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(25_000)})
    return Pools(words, people, rng.sample(people, 4000))


def _title(rng: random.Random, pools: Pools, n: int) -> str:
    words = [rng.choice(pools.words) for _ in range(rng.choices([1, 2, 3, 4], [2, 4, 3, 1])[0])]
    if n % 100 == 37:  # ~1% of titles carry the rare word
        words.insert(rng.randrange(len(words) + 1), RARE_WORD.lower())
    title = " ".join(w.capitalize() if i == 0 or rng.random() < 0.6 else w for i, w in enumerate(words))
    if rng.random() < 0.25:
        article = rng.choice(ARTICLES)
        separator = "" if article.endswith("'") else " "
        title = f"{article}{separator}{title}"
    if rng.random() < 0.05:
        title += f": Part {rng.randint(2, 6)}"
    return title


def _media_row(rng: random.Random, pools: Pools, plan: SpacePlan, n: int, now: datetime) -> dict:
    media_type = rng.choices(["movie", "tv_series", "other"], [85, 12, 3])[0]
    created = now - timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
    tmdb = (n + 1) if rng.random() < 0.8 and media_type != "other" else None
    row = {
        "id": uuid.uuid4(),
        "space_id": plan.space_id,
        "title": _title(rng, pools, n),
        "original_title": _title(rng, pools, n + 1) if rng.random() < 0.15 else None,
        "media_type": media_type,
        "year": None if rng.random() < 0.03 else min(2025, int(1920 + (rng.random() ** 0.6) * 106)),
        "runtime_minutes": None if rng.random() < 0.05 else rng.randint(70, 180),
        "overview": " ".join(rng.choice(pools.words) for _ in range(rng.randint(15, 35))).capitalize() + ".",
        "poster_url": f"https://image.tmdb.org/t/p/w500/{uuid.uuid4().hex[:24]}.jpg" if rng.random() < 0.9 else None,
        "genres": rng.sample(GENRES, rng.choices([1, 2, 3], [4, 4, 2])[0]),
        "directors": rng.sample(pools.directors, 1 if media_type == "movie" else rng.randint(0, 1)),
        "cast_members": rng.sample(pools.people, rng.randint(3, 6)),
        "season_count": rng.randint(1, 9) if media_type == "tv_series" else None,
        "episode_count": rng.randint(6, 120) if media_type == "tv_series" else None,
        "tmdb_id": tmdb,
        "tmdb_media_type": ("tv" if media_type == "tv_series" else "movie") if tmdb else None,
        "imdb_id": f"tt{n + 1000000:07d}" if rng.random() < 0.6 else None,
        "tvdb_id": rng.randint(1, 10**6) if media_type == "tv_series" and rng.random() < 0.5 else None,
        "rating": None if rng.random() < 0.1 else round(rng.uniform(1, 10), 1),
        "notes": "Signed by the director." if rng.random() < 0.02 else None,
        "added_by": plan.owner if rng.random() < 0.7 or not plan.others else rng.choice(plan.others),
        "added_by_name": None,
        "created_at": created,
        "updated_at": created,
        "deleted_at": None,
        "deleted_by": None,
    }
    return row


def _copies(rng: random.Random, row: dict, n: int) -> list[dict]:
    copies = []
    for k in range(rng.choices([0, 1, 2], [5, 70, 25])[0]):
        provider = "plex" if rng.random() < 0.3 else None
        copies.append(
            {
                "id": uuid.uuid4(),
                "space_id": row["space_id"],
                "media_id": row["id"],
                "format": rng.choice(FORMATS),
                "edition": "Collector's Edition" if rng.random() < 0.05 else None,
                "barcode": f"{rng.randint(10**11, 10**12 - 1)}{k}" if rng.random() < 0.4 else None,
                "region": rng.choice([None, "A", "B", "1", "2"]),
                "location": rng.choice([None, "Shelf 1", "Shelf 2", "Attic", "Living room"]),
                "notes": None,
                "resolution": rng.choice(RESOLUTIONS),
                "source_provider": provider,
                "source_external_id": f"{n}-{k}" if provider else None,
                "created_at": row["created_at"],
                "updated_at": row["created_at"],
            }
        )
    return copies


@dataclass
class Batch:
    media: list[tuple] = field(default_factory=list)
    copies: list[tuple] = field(default_factory=list)
    # The columns of `media` and `copies` rows, in order: those asked for that the generator writes
    # (a column it never sets keeps its default, e.g. a NOT NULL counter).
    media_columns: list[str] = field(default_factory=list)
    copy_columns: list[str] = field(default_factory=list)
    annotations: list[tuple] = field(default_factory=list)
    identities: list[tuple] = field(default_factory=list)


ANNOTATION_COLUMNS = [
    "id", "space_id", "media_id", "user_id", "rating", "notes", "watched", "visibility", "created_at", "updated_at",
]  # fmt: skip
IDENTITY_COLUMNS = ["space_id", "kind", "value", "media_id", "content_hash"]


async def stored_columns(conn: asyncpg.Connection, table: str, columns: list[str]) -> list[str]:
    """The model's `columns` that `table` has now: a schema of an earlier revision (the upgrade
    rehearsal's) lacks the newer ones, which are all nullable."""
    found = await conn.fetch(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped", table
    )
    present = {row["attname"] for row in found}
    return [name for name in columns if name in present]


def batches(
    rng: random.Random,
    pools: Pools,
    plan: SpacePlan,
    size: int,
    now: datetime,
    media_columns: list[str] = MEDIA_COLUMNS,
    copy_columns: list[str] = COPY_COLUMNS,
) -> Iterator[Batch]:
    """Rows in batches of `size` titles, each row the values of the given columns that the generator
    writes (`Batch.media_columns`, `Batch.copy_columns`)."""
    media_names = copy_names = None
    batch = Batch()
    for n in range(plan.titles):
        row = _media_row(rng, pools, plan, n, now)
        copies = _copies(rng, row, n)
        row |= derived_fields(row, copies)
        media_names = media_names or [name for name in media_columns if name in row]
        copy_names = copy_names or [name for name in copy_columns if name in _copy_keys(copies)]
        batch.media_columns, batch.copy_columns = media_names, copy_names
        batch.media.append(tuple(row[name] for name in media_names))
        batch.copies += [tuple(copy.get(name) for name in copy_names) for copy in copies]
        for kind, value in identity_claims(row["tmdb_id"], row["tmdb_media_type"], row["imdb_id"]):
            batch.identities.append((plan.space_id, kind, value, row["id"], None))
        for copy in copies:
            if copy["source_provider"]:
                key = f"{copy['source_provider']}:{copy['source_external_id']}"
                batch.identities.append((plan.space_id, "provider", key, row["id"], uuid.uuid4().hex))
        for user, share in [(plan.owner, 0.25), *((other, 0.1) for other in plan.others[:2])]:
            if rng.random() < share:
                batch.annotations.append(
                    (
                        uuid.uuid4(), plan.space_id, row["id"], user, round(rng.uniform(1, 10), 1),
                        "Seen twice." if rng.random() < 0.1 else None, rng.random() < 0.7,
                        rng.choice(["private", "shared"]), row["created_at"], row["created_at"],
                    )
                )  # fmt: skip
        if len(batch.media) >= size:
            yield batch
            batch = Batch()
    if batch.media:
        yield batch


def _copy_keys(copies: list[dict]) -> set[str]:
    return set(copies[0]) if copies else set()


async def seed(conn: asyncpg.Connection, plans: list[SpacePlan], *, seed_value: int = 7) -> dict:
    """COPY every plan's titles, copies, annotations and identities; then the counts and VACUUM ANALYZE."""
    rng = random.Random(seed_value)
    started = time.perf_counter()
    pools = make_pools(rng)
    now = datetime.now(UTC)
    totals = {"media": 0, "copies": 0, "annotations": 0, "media_identities": 0}
    media_columns = await stored_columns(conn, "media", MEDIA_COLUMNS)
    copy_columns = await stored_columns(conn, "copies", COPY_COLUMNS)
    for plan in plans:
        for batch in batches(rng, pools, plan, 20_000, now, media_columns, copy_columns):
            await conn.copy_records_to_table("media", records=batch.media, columns=batch.media_columns)
            if batch.copies:
                await conn.copy_records_to_table("copies", records=batch.copies, columns=batch.copy_columns)
            await conn.copy_records_to_table("annotations", records=batch.annotations, columns=ANNOTATION_COLUMNS)
            await conn.copy_records_to_table("media_identities", records=batch.identities, columns=IDENTITY_COLUMNS)
            totals["media"] += len(batch.media)
            totals["copies"] += len(batch.copies)
            totals["annotations"] += len(batch.annotations)
            totals["media_identities"] += len(batch.identities)
        await conn.execute(
            "INSERT INTO space_counts (space_id, live) VALUES ($1, $2)"
            " ON CONFLICT (space_id) DO UPDATE SET live = EXCLUDED.live",
            plan.space_id,
            plan.titles,
        )
    if "watched_at" in await stored_columns(conn, "annotations", ["watched_at"]):
        # The watched date is the truth of the watched state (library migration 0014), as the
        # migration sets it for annotations that were watched before it.
        await conn.execute(
            "UPDATE annotations SET watched_at = updated_at, play_count = 1, watched_source = 'manual'"
            " WHERE watched AND watched_at IS NULL"
        )
    loaded = time.perf_counter() - started
    for table in ("media", "copies", "annotations", "media_identities", "space_counts"):
        await conn.execute(f"VACUUM ANALYZE {table}")
    return {
        **totals,
        "load_seconds": round(loaded, 1),
        "total_seconds_with_vacuum_analyze": round(time.perf_counter() - started, 1),
    }
