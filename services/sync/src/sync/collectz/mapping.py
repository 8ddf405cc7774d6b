"""Pure rules of the move from collectZ: roles, stable ids, formats, ratings, and a media row as a
full-fidelity title record. No I/O."""

import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from shelfspace_contracts.roles import GlobalRole, SpaceRole

# Every id the move derives lives under this namespace, so a second run derives the same ones.
NAMESPACE = uuid.UUID("6f1c3f0e-5c1b-4e39-9a47-2c7e3c0d6a11")
# The job of a collectZ move belongs to the instance, not to a space.
INSTANCE_SCOPE = uuid.UUID(int=0)
PROVIDER = "collectz"
VIDEO_TYPES = {"movie": "movie", "tv_series": "tv_series", "tv": "tv_series"}
TMDB_POSTERS = "https://image.tmdb.org/t/p/w500"

FORMAT_NAMES = {
    "vhs": "VHS", "beta": "Other", "laserdisc": "LaserDisc", "dvd": "DVD", "bluray": "Blu-ray", "blu-ray": "Blu-ray",
    "uhd": "4K UHD", "4k uhd": "4K UHD", "digital": "Digital",
}  # fmt: skip
PHYSICAL_ROLE = {"owner": SpaceRole.OWNER, "admin": SpaceRole.ADMIN, "member": SpaceRole.MEMBER}
IMDB_ID = re.compile(r"^tt\d{5,10}$")


def stable_id(instance: str, key: str) -> uuid.UUID:
    """The id of a collectZ thing in Shelfspace: the same for the same install on every run."""
    return uuid.uuid5(NAMESPACE, f"collectz:{instance}:{key}")


def global_role(collectz_role: str | None) -> GlobalRole:
    return GlobalRole.ADMIN if collectz_role in ("admin", "support_admin") else GlobalRole.USER


def single_library_role(collectz_role: str | None, is_first_admin: bool) -> SpaceRole:
    """A 1.x user's place in the one library: its first admin owns it; viewers stay viewers."""
    if collectz_role == "admin":
        return SpaceRole.OWNER if is_first_admin else SpaceRole.ADMIN
    return SpaceRole.VIEWER if collectz_role == "viewer" else SpaceRole.MEMBER


def membership_role(collectz_role: str | None) -> SpaceRole:
    if collectz_role == "viewer":
        return SpaceRole.VIEWER
    return PHYSICAL_ROLE.get(collectz_role or "", SpaceRole.MEMBER)


def copy_format(name: str | None) -> str | None:
    if not name:
        return None
    return FORMAT_NAMES.get(name.strip().lower(), "Other")


def resolution(variant: dict[str, Any]) -> str | None:
    text = (variant.get("resolution") or "").lower()
    height = variant.get("video_height") or 0
    if text in ("4k", "2160", "2160p") or height >= 2000:
        return "4k"
    if text in ("1080", "1080p", "1080i") or height >= 1000:
        return "1080p"
    if text in ("720", "720p") or height >= 700:
        return "720p"
    if text or height:
        return "sd"
    return None


def rating(value: Decimal | float | None, out_of: int) -> float | None:
    """A user rating on our 0-10 scale (collectZ used 0-5 before its migration 99)."""
    if value is None:
        return None
    scaled = float(value) * (10 / out_of)
    return round(min(max(scaled, 0.0), 10.0), 1)


def split_names(text: str | None, limit: int) -> list[str]:
    if not text:
        return []
    names = [name.strip()[:200] for name in re.split(r"[,;|]", text)]
    return list(dict.fromkeys(name for name in names if name))[:limit]


def poster(path: str | None) -> str | None:
    if not path:
        return None
    if path.startswith(("https://", "http://")):
        return path[:2000]
    return f"{TMDB_POSTERS}{path}" if path.startswith("/") else None


def year_of(row: dict[str, Any]) -> int | None:
    year = row.get("year")
    released = row.get("release_date")
    if year is None and isinstance(released, date):
        year = released.year
    return year if year is not None and 1870 <= year <= 2100 else None


def not_imported(row: dict[str, Any]) -> str | None:
    """Why a media row is not brought over, or None for a movie or TV series."""
    kind = row.get("media_type") or "movie"
    if kind in VIDEO_TYPES:
        return None
    if kind == "tv_episode":
        return "A TV episode: Shelfspace keeps the series, not its episodes."
    return f"A collectZ {kind.replace('_', ' ')}: Shelfspace manages movies and TV."


def copies_of(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The copies of a media row: one per owned physical format, one per Plex (or other) file variant."""
    codes = row.get("owned_formats") or []
    formats = [copy_format(code) for code in codes] if codes else [copy_format(row.get("format"))]
    formats = list(dict.fromkeys(name for name in formats if name))
    copies: list[dict[str, Any]] = []
    provenance = []
    for variant in row.get("variants", []):
        external = variant.get("source_part_id") or variant.get("source_media_id") or variant.get("source_item_key")
        provenance.append(
            {
                "format": "Digital",
                "edition": (variant.get("edition") or None),
                "resolution": resolution(variant),
                "source_provider": (variant.get("source") or "plex")[:40],
                "source_external_id": str(external or f"variant:{variant['id']}")[:200],
            }
        )
    item_key = row.get("metadata", {}).get("plex_item_key")
    if not provenance and item_key and (row.get("import_source") == "plex"):
        provenance.append({"format": "Digital", "source_provider": "plex", "source_external_id": str(item_key)})
    if provenance and "Digital" in formats:
        formats.remove("Digital")  # the file is that digital copy
    for index, name in enumerate(formats):
        copies.append(
            {
                "format": name,
                "barcode": (row.get("upc") or None) if index == 0 else None,
                "location": row.get("location") or None,
            }
        )
    return copies + provenance


def identities_of(row: dict[str, Any]) -> dict[str, Any]:
    media_type = VIDEO_TYPES.get(row.get("media_type") or "movie", "movie")
    imdb = (row.get("metadata", {}).get("imdb_id") or "").strip()
    tmdb_id = row.get("tmdb_id")
    return {
        "tmdb_id": tmdb_id if tmdb_id and tmdb_id > 0 else None,
        "tmdb_media_type": ("tv" if media_type == "tv_series" else "movie") if tmdb_id else None,
        "imdb_id": imdb if IMDB_ID.match(imdb) else None,
    }


def title_fields(row: dict[str, Any], instance: str) -> dict[str, Any]:
    """A media row as the fields of an exported title (without annotations)."""
    added = row.get("created_at")
    runtime = row.get("runtime")
    score = row.get("rating")
    return {
        "id": stable_id(instance, f"media:{row['id']}"),
        "title": row["title"][:500],
        "original_title": row.get("original_title") or None,
        "media_type": VIDEO_TYPES.get(row.get("media_type") or "movie", "movie"),
        "year": year_of(row),
        "runtime_minutes": runtime if runtime is not None and 0 <= runtime <= 100_000 else None,
        "overview": (row.get("overview") or None),
        "poster_url": poster(row.get("poster_path")),
        "genres": split_names(row.get("genre"), 50),
        "directors": split_names(row.get("director"), 50),
        "cast": split_names(row.get("cast_members"), 100),
        "rating": float(score) if score is not None and 0 <= score <= 10 else None,
        "notes": row.get("notes") or None,
        "added_at": added if isinstance(added, datetime) else None,
        "identities": identities_of(row),
        "copies": copies_of(row),
    }


def label(row: dict[str, Any]) -> str:
    year = year_of(row)
    return f"{row['title']} ({year})" if year else row["title"]
