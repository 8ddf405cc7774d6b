"""The audit service's composition root: its routers, consumers and jobs on the shared app."""

from fastapi import FastAPI

from audit import SERVICE
from audit.api import public
from audit.events import CONSUMERS
from audit.settings import AuditSettings
from shelfspace_kernel.app import create_service_app


def create_app(settings: AuditSettings | None = None) -> FastAPI:
    return create_service_app(SERVICE, settings or AuditSettings(), routers=[public.router], consumers=CONSUMERS)
