"""Settings of the sync service, each read from the environment variable of the same name."""

from pydantic import Field

from shelfspace_kernel.settings import ServiceSettings


class SyncSettings(ServiceSettings):
    library_url: str = "http://library:8000"
    integrations_url: str = "http://integrations:8000"
    # The collectZ move brings accounts and spaces in through identity's internal API.
    identity_url: str = "http://identity:8000"
    # The durable RabbitMQ queue (quorum) that carries one message per job step.
    step_queue: str = "sync.job-steps"
    batch_size: int = Field(default=200, ge=1, le=500)
    # A worker's claim on a job step; heartbeats renew it every third of this.
    lease_seconds: float = Field(default=30.0, gt=0)
    # A job without a live lease whose step message is older than this is enqueued again.
    requeue_after_seconds: float = Field(default=60.0, gt=0)
    sweep_seconds: float = Field(default=5.0, gt=0)
    schedule_seconds: float = Field(default=30.0, gt=0)
    # Retries of one step after a transient upstream failure, before the job fails.
    step_retries: int = Field(default=2, ge=0)
    retry_delay_seconds: float = Field(default=2.0, ge=0)
    worker_concurrency: int = Field(default=2, ge=1)
    max_wait_seconds: int = 120
    errors_kept: int = 100
    # File imports: rows sent to the library per step (its import batch holds at most 500), the
    # largest file accepted (413 beyond; the gateway's IMPORT_MAX_BODY_BYTES must be at least this),
    # and how many rows the preview answers with.
    file_batch_size: int = Field(default=500, ge=1, le=500)
    import_max_file_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    import_preview_rows: int = Field(default=20, ge=1, le=200)
    upstream_timeout_seconds: float = 60.0
    # A file import's TMDB look-ups for rows without ids: at most this many per second per job (TMDB
    # allows about 40), each given up after the timeout (the row then imports without ids).
    tmdb_enrich_per_second: float = Field(default=20.0, gt=0, le=40)
    tmdb_enrich_timeout_seconds: float = Field(default=10.0, gt=0)
    # Liveness: the worker's event loop touches this file while it is well; `--live` fails once the
    # file is older than `worker_stale_seconds`. A step running past `step_stuck_seconds` withholds
    # the touch, so a hung step gets the worker restarted (its job resumes on another lease).
    worker_heartbeat_file: str = "/tmp/shelfspace-sync-worker.alive"  # noqa: S108 - a per-container file
    worker_stale_seconds: float = Field(default=60.0, gt=0)
    step_stuck_seconds: float = Field(default=600.0, gt=0)
    # The worker's Prometheus metrics, on a listener of its own (it has no HTTP server); 0: none.
    worker_metrics_port: int = Field(default=9101, ge=0)
