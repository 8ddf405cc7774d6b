"""Settings of the library service, each read from the environment variable of the same name."""

from pathlib import Path

from pydantic import Field, SecretStr

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

    # Own covers (docs/operations/covers.md). Stored in COVER_STORAGE_DIR unless COVER_S3_BUCKET is set.
    cover_storage_dir: Path = Path("data/covers")
    cover_s3_bucket: str = ""
    cover_s3_endpoint_url: str = ""
    cover_s3_region: str = "us-east-1"
    cover_s3_access_key_id: str = ""
    cover_s3_secret_access_key: SecretStr = SecretStr("")
    # Every S3 call: connecting, and each read of its answer.
    cover_s3_timeout_seconds: float = Field(default=10, gt=0, le=120)
    # An upload larger than this is refused with 413 before it is decoded.
    cover_max_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    # Decompression bombs: an image declaring more pixels (or a longer side) is refused before decoding.
    cover_max_pixels: int = Field(default=40_000_000, gt=0)
    cover_max_side: int = Field(default=12_000, gt=0)
    # Uploads decoded at once per process (each may hold a few hundred MB while it is resized).
    cover_decode_concurrency: int = Field(default=2, gt=0, le=16)
