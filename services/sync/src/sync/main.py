"""The sync service's composition root: its routers, consumers and jobs on the shared app.

The API only queues jobs; `python -m sync.worker` runs them (see `sync.worker`).
"""

from fastapi import FastAPI

from shelfspace_kernel.app import create_service_app
from shelfspace_kernel.settings import read_key_material
from sync import SERVICE
from sync.api import collectz, imports, public, schedules, titles, watchlist
from sync.collectz.secrets import job_key
from sync.events import CONSUMERS
from sync.settings import SyncSettings


def create_app(settings: SyncSettings | None = None) -> FastAPI:
    settings = settings or SyncSettings()
    app = create_service_app(
        SERVICE,
        settings,
        routers=[public.router, imports.router, schedules.router, watchlist.router, collectz.router, titles.router],
        consumers=CONSUMERS,
    )
    app.state.settings = settings
    app.state.params_key = job_key(read_key_material(settings.internal_auth_private_key))
    return app
