"""The audit service's composition root: its routers, consumers and jobs on the shared app."""

from fastapi import FastAPI

from audit import SERVICE
from audit.api import public
from audit.events import CONSUMERS
from audit.health import consumer_backlogs
from audit.jobs import periodic_jobs
from audit.settings import AuditSettings
from shelfspace_kernel.app import create_service_app


def create_app(settings: AuditSettings | None = None) -> FastAPI:
    settings = settings or AuditSettings()
    app = create_service_app(
        SERVICE,
        settings,
        routers=[public.router],
        consumers=CONSUMERS,
        periodic_jobs=periodic_jobs(settings),
        health_extras=consumer_backlogs,
    )
    app.state.export_batch_size = settings.export_batch_size
    return app
