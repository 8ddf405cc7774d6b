"""Public routes owned by the library service."""

from gateway.routes import Route

ROUTES: list[Route] = []
