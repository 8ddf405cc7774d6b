"""Settings of the library service, each read from the environment variable of the same name."""

from pydantic import Field

from shelfspace_kernel.settings import ServiceSettings


class LibrarySettings(ServiceSettings):
    # How long a deleted title stays restorable in the trash before the purge job removes it.
    trash_retention_days: float = Field(default=30, ge=0)
    trash_purge_interval_seconds: float = Field(default=3600, gt=0)
    trash_purge_batch: int = Field(default=1000, gt=0)
