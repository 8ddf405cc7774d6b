"""Who is calling and what they may do: the route's policy checked against the caller's session.

The session resolver (backed by the identity service) gives a `Principal`; `authorize` turns it
into the signed caller context for one route, or refuses. Another space's ids answer 404.
"""

import dataclasses
import uuid
from dataclasses import dataclass, field
from typing import Protocol

from starlette.requests import Request

from gateway.routes import Access, Match
from shelfspace_contracts.roles import GlobalRole, SpaceRole
from shelfspace_kernel.errors import AppError, Forbidden, NotFound, Unauthenticated
from shelfspace_kernel.internal_auth import CallerContext


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    global_role: GlobalRole
    active_space_id: uuid.UUID | None
    memberships: dict[uuid.UUID, SpaceRole] = field(default_factory=dict)
    session_id: uuid.UUID | None = None
    # The instance's enabled feature flags, as identity answered with the session.
    features: frozenset[str] = frozenset()
    # Set when the caller signed the request with a personal API token instead of a session.
    token_id: uuid.UUID | None = None


class FeatureDisabled(Forbidden):
    code, message = "feature_disabled", "This feature is turned off on this instance."


class SessionRequired(Forbidden):
    code, message = "session_required", "This needs a signed-in session; an API token cannot do it."


class SessionResolver(Protocol):
    async def resolve(self, request: Request) -> Principal | None: ...


class NoSessions:
    """Resolver for a gateway without the identity service wired in: everyone is anonymous."""

    async def resolve(self, request: Request) -> Principal | None:
        return None


def _parse_uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _target_space(match: Match, principal: Principal, request: Request) -> uuid.UUID | None:
    route = match.route
    if route.space_param:
        space_id = _parse_uuid(match.params.get(route.space_param))
        if space_id is None or space_id not in principal.memberships:
            raise NotFound()
        return space_id
    override = request.headers.get("x-space-id")
    if override:
        space_id = _parse_uuid(override)
        if space_id is None or space_id not in principal.memberships:
            raise Forbidden("You are not a member of that space.")
        return space_id
    return principal.active_space_id if principal.active_space_id in principal.memberships else None


# Marks a refusal decided by the gateway's policy (not by a service), for clients and tests.
REFUSAL_HEADER = "X-Gateway-Refusal"


def authorize(match: Match, principal: Principal | None, request: Request, request_id: str) -> CallerContext:
    """The signed context for this route, or the gateway's refusal (401/403/404, marked)."""
    try:
        context = _authorize(match, principal, request, request_id)
    except AppError as exc:
        exc.headers = {**exc.headers, REFUSAL_HEADER: exc.code}
        raise
    return dataclasses.replace(
        context,
        session_id=principal.session_id if principal else None,
        client_ip=getattr(request.state, "client_ip", None),
        token_id=principal.token_id if principal else None,
    )


def _authorize(match: Match, principal: Principal | None, request: Request, request_id: str) -> CallerContext:
    access = match.route.access
    anonymous = CallerContext(request_id=request_id, caller="gateway")
    if access is Access.PUBLIC and principal is None:
        return anonymous
    if principal is None:
        raise Unauthenticated()
    if principal.token_id is not None and match.route.session_only:
        raise SessionRequired()
    context = _authorize_signed_in(match, principal, request, request_id)
    feature = match.route.feature
    if feature is not None and feature not in principal.features:
        raise FeatureDisabled()
    return context


def _authorize_signed_in(match: Match, principal: Principal, request: Request, request_id: str) -> CallerContext:
    access = match.route.access
    context = CallerContext(
        request_id=request_id, caller="gateway", user_id=principal.user_id, global_role=principal.global_role
    )
    if access is Access.GLOBAL_ADMIN and principal.global_role != GlobalRole.ADMIN:
        raise Forbidden()
    required = access.space_role
    if required is None:
        return context
    space_id = _target_space(match, principal, request)
    if space_id is None:
        raise Forbidden("Choose a space first.", code="no_active_space")
    role = principal.memberships[space_id]
    if not role.at_least(required):
        raise Forbidden()
    return CallerContext(
        request_id=request_id,
        caller="gateway",
        user_id=principal.user_id,
        global_role=principal.global_role,
        space_id=space_id,
        space_role=role,
    )
