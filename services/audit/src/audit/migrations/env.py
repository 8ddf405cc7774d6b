from audit.store import metadata
from shelfspace_kernel.migrations import run_alembic_env

run_alembic_env(metadata)
