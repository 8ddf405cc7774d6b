"""Public routes owned by the integrations service."""

from gateway.routes import Route

ROUTES: list[Route] = []
