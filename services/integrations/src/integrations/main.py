"""The integrations service's composition root: its routers, consumers and jobs on the shared app."""

from fastapi import FastAPI

from integrations import SERVICE
from integrations.api import public
from integrations.events import CONSUMERS
from integrations.settings import IntegrationsSettings
from shelfspace_kernel.app import create_service_app


def create_app(settings: IntegrationsSettings | None = None) -> FastAPI:
    return create_service_app(SERVICE, settings or IntegrationsSettings(), routers=[public.router], consumers=CONSUMERS)
