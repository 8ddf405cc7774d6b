"""`python -m integrations.rotate_keys`: re-seal every stored secret under the current key.

Run it after setting the new INTEGRATION_ENCRYPTION_KEY with the previous key listed in
INTEGRATION_ENCRYPTION_OLD_KEYS. It also re-seals secrets stored before origins were bound into the
associated data, so every secret opens only for the origins it was entered for. Secrets that open with no configured key are left as they are
and counted; the exit status is 0 only when every secret is under the current key.
"""

import asyncio
import sys
from dataclasses import dataclass

from sqlalchemy import Table, select, update

from integrations import SERVICE
from integrations.crypto import CannotDecrypt, Keyring, Sealed, WeakKeyError
from integrations.handlers.settings import associated_data
from integrations.handlers.trakt_links import link_associated_data
from integrations.settings import IntegrationsSettings
from integrations.store import provider_settings, trakt_links
from shelfspace_kernel.db import create_engine


@dataclass
class RotationReport:
    rotated: int = 0
    current: int = 0
    undecryptable: int = 0


def _subject(table: Table, row) -> tuple[list, bytes, bytes]:  # type: ignore[no-untyped-def]
    """The row's key columns, its associated data with the origin, and the row-only one it may still have."""
    if table is provider_settings:
        where = [table.c.space_id == row.space_id, table.c.provider == row.provider]
        bound = associated_data(row.space_id, row.provider, row.secret_origin)
        return where, bound, associated_data(row.space_id, row.provider)
    where = [table.c.space_id == row.space_id, table.c.user_id == row.user_id]
    bound = link_associated_data(row.space_id, row.user_id, row.secret_origin)
    return where, bound, link_associated_data(row.space_id, row.user_id)


def _reseal(keyring: Keyring, sealed: Sealed, bound: bytes, row_only: bytes) -> Sealed | None:
    """The value sealed under the current key with its origin; None when it already is."""
    try:
        plaintext = keyring.open(sealed, bound)
        if sealed.key_id == keyring.current_id:
            return None
    except CannotDecrypt:
        plaintext = keyring.open(sealed, row_only)
    return keyring.seal(plaintext, bound)


async def rotate(settings: IntegrationsSettings) -> RotationReport:
    keyring = Keyring.from_settings(settings)
    report = RotationReport()
    engine = create_engine(settings.database_url, SERVICE, pool_size=2, application_name=f"{SERVICE}-rotate-keys")
    try:
        for table in (provider_settings, trakt_links):
            async with engine.begin() as conn:
                rows = (
                    await conn.execute(select(table).where(table.c.secret_ciphertext.is_not(None)).with_for_update())
                ).all()
                for row in rows:
                    where, bound, row_only = _subject(table, row)
                    sealed = Sealed(row.secret_ciphertext, row.secret_nonce, row.secret_key_id)
                    try:
                        fresh = _reseal(keyring, sealed, bound, row_only)
                    except CannotDecrypt:
                        report.undecryptable += 1
                        continue
                    if fresh is None:
                        report.current += 1
                        continue
                    await conn.execute(
                        update(table)
                        .where(*where)
                        .values(
                            secret_ciphertext=fresh.ciphertext, secret_nonce=fresh.nonce, secret_key_id=fresh.key_id
                        )
                    )
                    report.rotated += 1
    finally:
        await engine.dispose()
    return report


def main() -> None:
    try:
        report = asyncio.run(rotate(IntegrationsSettings()))
    except WeakKeyError as exc:
        print(f"rotate_keys: {exc}", file=sys.stderr)
        sys.exit(2)
    print(
        f"rotate_keys: {report.rotated} re-encrypted, {report.current} already current, "
        f"{report.undecryptable} undecryptable"
    )
    if report.undecryptable:
        print(
            "rotate_keys: some secrets open with no configured key: add the key they were written with to "
            "INTEGRATION_ENCRYPTION_OLD_KEYS and run again, or enter those secrets again in the settings.",
            file=sys.stderr,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
