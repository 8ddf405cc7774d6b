"""Public routes owned by the sync service."""

from gateway.routes import Route

ROUTES: list[Route] = []
