"""`python -m library.migrate [revision]`: bring the library schema to head (or to `revision`)."""

from pathlib import Path

from library import SERVICE
from library.settings import LibrarySettings
from shelfspace_kernel.migrations import migrate_main

MIGRATIONS = Path(__file__).parent / "migrations"

if __name__ == "__main__":
    migrate_main(SERVICE, MIGRATIONS, LibrarySettings().database_url)
