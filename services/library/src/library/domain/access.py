"""Who may change what in a space: viewers read, members change what they added, admins everything."""

import uuid

from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import space_role_of
from shelfspace_kernel.errors import Forbidden
from shelfspace_kernel.internal_auth import CallerContext


def is_admin(caller: CallerContext) -> bool:
    return space_role_of(caller).at_least(SpaceRole.ADMIN)


def can_edit(caller: CallerContext, added_by: uuid.UUID | None) -> bool:
    role = space_role_of(caller)
    if role.at_least(SpaceRole.ADMIN):
        return True
    return role.at_least(SpaceRole.MEMBER) and added_by is not None and added_by == caller.user_id


def ensure_can_edit(caller: CallerContext, added_by: uuid.UUID | None) -> None:
    if not can_edit(caller, added_by):
        raise Forbidden("Only the member who added this title or a space admin may change it.")
