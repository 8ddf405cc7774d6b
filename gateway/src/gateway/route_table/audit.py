"""Public routes owned by the audit service."""

from gateway.routes import Route

ROUTES: list[Route] = []
