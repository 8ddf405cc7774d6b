"""Watchlist pages for the sync service: the space's Plex account and the user's Trakt link.

Both answer a `ProviderPage` addressed by item offset (`start`, `size`); `next_start` follows what
the provider returned, so seasons, episodes or items that could not be normalized are passed over,
not read twice. A provider that is not linked answers 404 `provider_not_linked`.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from integrations.adapters.http import ProviderKit
from integrations.adapters.plex_watchlist import PlexWatchlist
from integrations.crypto import Keyring
from integrations.domain.watchlist import normalize_plex_watchlist, normalize_trakt
from integrations.errors import ProviderNotLinked
from integrations.handlers.settings import credentials
from integrations.handlers.trakt_links import list_entries
from shelfspace_contracts.media_items import ProviderPage
from shelfspace_kernel.internal_auth import CallerContext

MAX_SIZE = 500
TRAKT_PAGE_LIMIT = 100
PLEX_NOT_LINKED = "No Plex account is linked to this space: add a Plex token in the Plex settings."


def _page(items: list, start: int, returned: int, total: int) -> ProviderPage:
    following = start + returned
    next_start = following if returned and following < total else None
    return ProviderPage(items=items, start=start, total=max(total, following), next_start=next_start)


async def plex_watchlist(
    session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext, start: int, size: int
) -> ProviderPage:
    config, token = await credentials(session, keyring, caller, caller.space_id, "plex", secret_required=False)
    if not token:
        raise ProviderNotLinked(PLEX_NOT_LINKED)
    entries, total = await PlexWatchlist(kit, caller.space_id, config, token).page(start, size)
    items = [item for item in map(normalize_plex_watchlist, entries) if item is not None]
    return _page(items, start, len(entries), total)


async def trakt_watchlist(
    session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext, start: int, size: int
) -> ProviderPage:
    """Trakt pages by number: the page holding `start` is read, and what follows `start` on it is returned."""
    limit = min(size, TRAKT_PAGE_LIMIT)
    entries, total = await list_entries(session, keyring, kit, caller, "watchlist", start // limit + 1, limit)
    entries = entries[start % limit :]
    items = [item for item in map(normalize_trakt, entries) if item is not None]
    return _page(items, start, len(entries), total)


READERS = {"plex": plex_watchlist, "trakt": trakt_watchlist}
