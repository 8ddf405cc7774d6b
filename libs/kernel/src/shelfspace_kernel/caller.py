"""Dependencies that give a route its server-authoritative caller and check space roles again."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from shelfspace_contracts.roles import GlobalRole, SpaceRole
from shelfspace_kernel.errors import Forbidden, Unauthenticated
from shelfspace_kernel.internal_auth import CallerContext


async def current_caller(request: Request) -> CallerContext:
    caller: CallerContext | None = getattr(request.state, "caller", None)
    if caller is None:
        raise Unauthenticated()
    return caller


CallerDep = Annotated[CallerContext, Depends(current_caller)]


# Dependencies are `async def` so FastAPI runs them inline rather than in its thread pool.


def user_id_of(caller: CallerContext) -> uuid.UUID:
    if caller.user_id is None:
        raise Unauthenticated()
    return caller.user_id


async def signed_in_user(caller: CallerDep) -> uuid.UUID:
    return user_id_of(caller)


async def require_global_admin(caller: CallerDep) -> CallerContext:
    user_id_of(caller)
    if caller.global_role != GlobalRole.ADMIN:
        raise Forbidden()
    return caller


def space_role_of(caller: CallerContext) -> SpaceRole:
    """The caller's role in the active space; a request without one is refused."""
    user_id_of(caller)
    if caller.space_id is None or caller.space_role is None:
        raise Forbidden("Choose a space first.", code="no_active_space")
    return SpaceRole(caller.space_role)


def require_space_role(minimum: SpaceRole) -> Callable[[CallerContext], Awaitable[CallerContext]]:
    """A dependency factory: the caller must hold at least `minimum` in the active space."""

    async def dependency(caller: CallerDep) -> CallerContext:
        if not space_role_of(caller).at_least(minimum):
            raise Forbidden()
        return caller

    return dependency


async def require_service_caller(caller: CallerDep) -> CallerContext:
    """For `/internal/...` routes: only another service may call, never a gateway-forwarded request."""
    if caller.caller == "gateway":
        raise Forbidden("This route is internal.")
    return caller


ServiceCallerDep = Annotated[CallerContext, Depends(require_service_caller)]
