"""The sync service's composition root: its routers, consumers and jobs on the shared app.

The API only queues jobs; `python -m sync.worker` runs them (see `sync.worker`).
"""

from fastapi import FastAPI

from shelfspace_kernel.app import create_service_app
from sync import SERVICE
from sync.api import imports, public, schedules, watchlist
from sync.events import CONSUMERS
from sync.settings import SyncSettings


def create_app(settings: SyncSettings | None = None) -> FastAPI:
    settings = settings or SyncSettings()
    app = create_service_app(
        SERVICE,
        settings,
        routers=[public.router, imports.router, schedules.router, watchlist.router],
        consumers=CONSUMERS,
    )
    app.state.settings = settings
    return app
