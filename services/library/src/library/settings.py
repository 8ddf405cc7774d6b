"""Settings of the library service, each read from the environment variable of the same name."""

from pydantic import Field

from shelfspace_kernel.settings import ServiceSettings


class LibrarySettings(ServiceSettings):
    # How long a deleted title stays restorable in the trash before the purge job removes it.
    trash_retention_days: float = Field(default=30, ge=0)
    trash_purge_interval_seconds: float = Field(default=3600, gt=0)
    trash_purge_batch: int = Field(default=1000, gt=0)
    # How long the import upsert remembers a batch key (a batch re-sent with it gets its first answer).
    import_key_retention_days: float = Field(default=7, gt=0)
    import_key_purge_interval_seconds: float = Field(default=3600, gt=0)
    import_key_purge_batch: int = Field(default=5000, gt=0)
    # Titles read per round trip of the export's server-side cursor.
    export_batch_size: int = Field(default=2000, gt=0, le=10000)
    # How often the job looks for overdue loans to remind of (each loan is reminded of once).
    loan_reminder_interval_seconds: float = Field(default=900, gt=0)
