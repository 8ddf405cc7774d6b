"""The declarative route table: (method, path pattern) → owning service and required access.

Each bounded context lists its public routes in `route_table/`; a route without a policy cannot be
written down, and the RBAC matrix test is generated from this table. A route that belongs to a
feature names its flag here too, so the gateway refuses it while the flag is off.
"""

import re
from dataclasses import dataclass, field
from enum import StrEnum

from shelfspace_contracts.features import Feature
from shelfspace_contracts.roles import SpaceRole


class Access(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    GLOBAL_ADMIN = "global_admin"
    SPACE_VIEWER = "space:viewer"
    SPACE_MEMBER = "space:member"
    SPACE_ADMIN = "space:admin"
    SPACE_OWNER = "space:owner"

    @property
    def space_role(self) -> SpaceRole | None:
        prefix, _, role = self.value.partition(":")
        return SpaceRole(role) if prefix == "space" else None


class BodyLimit(StrEnum):
    """Which gateway setting bounds a route's request body (413 beyond)."""

    DEFAULT = "max_body_bytes"
    # File uploads for imports: IMPORT_MAX_BODY_BYTES (docs/import-export.md).
    IMPORT = "import_max_body_bytes"


_PARAM = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    service: str
    access: Access
    # Name of the path parameter that names the space (e.g. /api/spaces/{space_id}/...); without
    # one, a space route acts on the caller's active space.
    space_param: str | None = None
    # The feature flag that must be on (checked after the access policy, so only for callers the
    # policy lets through).
    feature: Feature | None = None
    body_limit: BodyLimit = BodyLimit.DEFAULT
    # Refused to personal API tokens (403 `session_required`): managing tokens, and the account's
    # own email and password. A token can never mint another token.
    session_only: bool = False
    regex: re.Pattern = field(init=False, repr=False, compare=False)
    literal_segments: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.feature is not None and self.access is Access.PUBLIC:
            raise ValueError(f"{self.method} {self.path}: a feature's route needs a signed-in caller")
        pattern = _PARAM.sub(
            lambda m: f"(?P<{m.group(1)}>[^/]+)", re.escape(self.path).replace(r"\{", "{").replace(r"\}", "}")
        )
        object.__setattr__(self, "regex", re.compile(f"^{pattern}$"))
        object.__setattr__(
            self, "literal_segments", sum(1 for part in self.path.split("/") if part and "{" not in part)
        )


@dataclass(frozen=True)
class Match:
    route: Route
    params: dict[str, str]


class RouteTable:
    def __init__(self, routes: list[Route]) -> None:
        # More literal segments first, so /api/media/trash wins over /api/media/{media_id}.
        self.routes = sorted(routes, key=lambda r: -r.literal_segments)
        seen = set()
        for route in self.routes:
            key = (route.method, route.path)
            if key in seen:
                raise ValueError(f"route declared twice: {key}")
            seen.add(key)

    def match(self, method: str, path: str) -> Match | None:
        """The route for this request; None when nothing is routed there."""
        for route in self.routes:
            if route.method == method and (found := route.regex.match(path)):
                return Match(route, found.groupdict())
        return None

    def allows_path(self, path: str) -> bool:
        """Whether a documented path is routed: `/api/media/{media_id}` is; so is a template such as
        `/api/admin/settings/integrations/test-{provider}` whose routes name each value."""
        template = re.compile("^" + _PARAM.sub("[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")) + "$")
        return any(route.regex.match(path) or template.match(route.path) for route in self.routes)
