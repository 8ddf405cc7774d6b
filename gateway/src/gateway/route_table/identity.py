"""Public routes owned by the identity service."""

from gateway.routes import Route

ROUTES: list[Route] = []
