"""`python -m sync.migrate [revision]`: bring the sync schema to head (or to `revision`)."""

from pathlib import Path

from shelfspace_kernel.migrations import migrate_main
from sync import SERVICE
from sync.settings import SyncSettings

MIGRATIONS = Path(__file__).parent / "migrations"

if __name__ == "__main__":
    migrate_main(SERVICE, MIGRATIONS, SyncSettings().database_url)
