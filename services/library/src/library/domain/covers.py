"""Names of a title's own cover: its renditions' object names in cover storage and their public URLs.

A cover is named by a random key made at upload (`new_key`), never by the title or the space: the
key is the capability to fetch the images (docs/security.md, "Own covers"). A new upload gets a new
key, so a URL's bytes never change and may be cached forever.
"""

import re
import secrets

WIDTHS = (200, 500, 1000)
# The width `poster_url` names; the others are in `cover_urls`.
POSTER_WIDTH = 500
EXTENSION = "webp"
URL_PREFIX = "/api/covers"
# 32 random bytes in URL-safe base64: 43 characters.
KEY = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_key() -> str:
    return secrets.token_urlsafe(32)


def object_name(key: str, width: int) -> str:
    return f"{key}/{width}.{EXTENSION}"


def object_names(key: str) -> list[str]:
    return [object_name(key, width) for width in WIDTHS]


def cover_url(key: str, width: int) -> str:
    return f"{URL_PREFIX}/{object_name(key, width)}"


def cover_urls(key: str | None) -> dict[str, str] | None:
    """`{"200": url, "500": url, "1000": url}`, or None without a cover."""
    return {str(width): cover_url(key, width) for width in WIDTHS} if key else None


def poster_url(cover_key: str | None, external: str | None) -> str | None:
    """The poster a title shows: its own cover, else the TMDB or Plex poster it was given."""
    return cover_url(cover_key, POSTER_WIDTH) if cover_key else external


def parse_file(name: str) -> int | None:
    """The width a public file name (`500.webp`) asks for, or None when it names no rendition."""
    stem, dot, extension = name.partition(".")
    if dot and extension == EXTENSION and stem.isdigit() and int(stem) in WIDTHS:
        return int(stem)
    return None
