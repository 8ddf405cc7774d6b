"""The sync service's composition root: its routers, consumers and jobs on the shared app."""

from fastapi import FastAPI

from shelfspace_kernel.app import create_service_app
from sync import SERVICE
from sync.api import public
from sync.events import CONSUMERS
from sync.settings import SyncSettings


def create_app(settings: SyncSettings | None = None) -> FastAPI:
    return create_service_app(SERVICE, settings or SyncSettings(), routers=[public.router], consumers=CONSUMERS)
