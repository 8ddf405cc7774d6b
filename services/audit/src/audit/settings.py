"""Settings of the audit service, each read from the environment variable of the same name."""

from pydantic import Field, field_validator

from shelfspace_kernel.settings import ServiceSettings


class AuditSettings(ServiceSettings):
    # Days an activity row is kept; unset (or empty) keeps the log forever.
    activity_retention_days: int | None = Field(default=None, ge=1)
    retention_every_seconds: float = 3600.0
    retention_batch_size: int = 5000
    retention_max_batches: int = 100
    export_batch_size: int = 1000

    @field_validator("activity_retention_days", mode="before")
    @classmethod
    def _empty_means_forever(cls, value: object) -> object:
        return None if value in ("", None) else value
