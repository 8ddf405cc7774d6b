"""`python -m identity.migrate [revision]`: bring the identity schema to head (or to `revision`)."""

from pathlib import Path

from identity import SERVICE
from identity.settings import IdentitySettings
from shelfspace_kernel.migrations import migrate_main

MIGRATIONS = Path(__file__).parent / "migrations"

if __name__ == "__main__":
    migrate_main(SERVICE, MIGRATIONS, IdentitySettings().database_url)
