"""`python -m audit.migrate [revision]`: bring the audit schema to head (or to `revision`)."""

from pathlib import Path

from audit import SERVICE
from audit.settings import AuditSettings
from shelfspace_kernel.migrations import migrate_main

MIGRATIONS = Path(__file__).parent / "migrations"

if __name__ == "__main__":
    migrate_main(SERVICE, MIGRATIONS, AuditSettings().database_url)
