from shelfspace_kernel.migrations import run_alembic_env
from sync.store import metadata

run_alembic_env(metadata)
