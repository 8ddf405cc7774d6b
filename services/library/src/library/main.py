"""The library service's composition root: its routers, consumers and jobs on the shared app."""

from fastapi import FastAPI

from library import SERVICE
from library.api import public
from library.events import CONSUMERS
from library.settings import LibrarySettings
from shelfspace_kernel.app import create_service_app


def create_app(settings: LibrarySettings | None = None) -> FastAPI:
    return create_service_app(SERVICE, settings or LibrarySettings(), routers=[public.router], consumers=CONSUMERS)
