"""The library service's composition root: its routers, consumers and jobs on the shared app."""

import asyncio
from datetime import timedelta

from fastapi import FastAPI

from library import SERVICE
from library.api import covers, exports, internal, loans, public, tags, watched, wishlist
from library.consumers import consumers
from library.covers.images import Limits
from library.covers.storage import cover_storage
from library.handlers.covers import Covers
from library.handlers.import_keys import purge_keys_job
from library.handlers.lifecycle import purge_job
from library.handlers.loans import send_reminders
from library.settings import LibrarySettings
from library.store.list_counts import ListCounts
from shelfspace_kernel.app import create_service_app
from shelfspace_kernel.periodic import PeriodicJob


def create_app(settings: LibrarySettings | None = None) -> FastAPI:
    settings = settings or LibrarySettings()
    storage = cover_storage(settings)
    purge = purge_job(
        timedelta(days=settings.trash_retention_days),
        settings.trash_purge_interval_seconds,
        settings.trash_purge_batch,
        storage,
    )
    keys = purge_keys_job(
        timedelta(days=settings.import_key_retention_days),
        settings.import_key_purge_interval_seconds,
        settings.import_key_purge_batch,
    )
    app = create_service_app(
        SERVICE,
        settings,
        routers=[
            public.router,
            watched.router,
            loans.router,
            wishlist.router,
            tags.router,
            covers.router,
            exports.router,
            internal.router,
        ],
        consumers=consumers(storage),
        periodic_jobs=[
            purge,
            keys,
            PeriodicJob("library.loans.remind", settings.loan_reminder_interval_seconds, send_reminders),
        ],
    )
    app.state.settings = settings
    app.state.list_counts = ListCounts()
    app.state.covers = Covers(
        storage=storage,
        max_bytes=settings.cover_max_bytes,
        limits=Limits(max_pixels=settings.cover_max_pixels, max_side=settings.cover_max_side),
        decoding=asyncio.Semaphore(settings.cover_decode_concurrency),
    )
    return app
