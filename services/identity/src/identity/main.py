"""The identity service's composition root: its routers, consumers and jobs on the shared app."""

from fastapi import FastAPI

from identity import SERVICE
from identity.api import public
from identity.events import CONSUMERS
from identity.settings import IdentitySettings
from shelfspace_kernel.app import create_service_app


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    return create_service_app(SERVICE, settings or IdentitySettings(), routers=[public.router], consumers=CONSUMERS)
