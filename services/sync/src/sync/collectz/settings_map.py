"""collectZ's provider settings (`app_integrations`) as ours: which space gets which provider, and the
setting itself once its secret is opened with the collectZ key."""

from typing import Any

from shelfspace_contracts.collectz import ImportedSetting
from sync.collectz.secrets import open_collectz_secret

# Our provider → collectZ's column prefix.
PROVIDERS = {"tmdb": "tmdb", "plex": "plex", "barcode": "barcode", "vision": "vision"}
# The services behind a collectZ preset that ours can talk to (others are skipped with a reason).
USABLE_PRESETS = {"barcode": ("upcitemdb",), "vision": ("openai",)}
NO_KEY = "Not brought over: give the collectZ encryption key to bring its secrets over."


def _present(row: dict[str, Any], provider: str) -> bool:
    prefix = PROVIDERS[provider]
    return bool(row.get(f"{prefix}_api_key_encrypted")) or (provider == "plex" and bool(row.get("plex_api_url")))


def candidates(rows: list[dict[str, Any]], generation: str, space_of: dict[str, str]) -> list[dict[str, Any]]:
    """(space, provider, row) for every provider set up in collectZ, for each space it applied to.

    Before 3.x one row served the whole install, so it applies to every space the move creates; in
    3.x a row with a space serves that space, and the row without one the spaces that have none.
    """
    own = {f"space:{row['space_id']}" for row in rows if generation == "3.x" and row.get("space_id") is not None}
    found = []
    for row in rows:
        if generation == "3.x" and row.get("space_id") is not None:
            keys = [f"space:{row['space_id']}"]
        else:
            keys = [key for key in space_of if key not in own]
        for key in keys:
            if key not in space_of:
                continue
            for provider in PROVIDERS:
                if _present(row, provider):
                    found.append({"space_id": space_of[key], "provider": provider, "row_id": row["id"]})
    return found


def setting(
    candidate: dict[str, Any], row: dict[str, Any] | None, key: str | None
) -> tuple[ImportedSetting | None, str]:
    """The setting to bring over, or None and the reason it is skipped; CannotOpen for a wrong key."""
    provider = candidate["provider"]
    if row is None:
        return None, "The collectZ settings row is gone."
    preset = (row.get(f"{PROVIDERS[provider]}_preset") or "").lower()
    usable = USABLE_PRESETS.get(provider)
    if usable is not None and preset and preset not in usable:
        return None, f"collectZ used {preset} for this, which Shelfspace does not talk to."
    config: dict[str, Any] = {}
    if provider in ("tmdb", "plex") and row.get(f"{provider}_api_url"):
        config["base_url"] = row[f"{provider}_api_url"]
    sealed = row.get(f"{PROVIDERS[provider]}_api_key_encrypted")
    token = None
    if sealed:
        if not key:
            return None, NO_KEY
        token = open_collectz_secret(key, sealed)
    setting = ImportedSetting(space_id=candidate["space_id"], provider=provider, config=config, token=token)
    return setting, ""
