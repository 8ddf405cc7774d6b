"""Every public route, by bounded context. A route must name its service and its access policy."""

from gateway.route_table import audit, identity, integrations, library, sync
from gateway.routes import Route

ROUTES: list[Route] = [*identity.ROUTES, *library.ROUTES, *integrations.ROUTES, *sync.ROUTES, *audit.ROUTES]
