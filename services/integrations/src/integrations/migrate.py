"""`python -m integrations.migrate [revision]`: bring the integrations schema to head (or to `revision`)."""

from pathlib import Path

from integrations import SERVICE
from integrations.settings import IntegrationsSettings
from shelfspace_kernel.migrations import migrate_main

MIGRATIONS = Path(__file__).parent / "migrations"

if __name__ == "__main__":
    migrate_main(SERVICE, MIGRATIONS, IntegrationsSettings().database_url)
