from shelfspace_kernel.db import new_metadata
from shelfspace_kernel.migrations import run_alembic_env

run_alembic_env(new_metadata())
