"""Who may change whose membership in a space (owner > admin > member > viewer)."""

from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.errors import Conflict, Forbidden


def check_can_grant(actor: SpaceRole, granted: SpaceRole) -> None:
    """Only an owner grants owner; an admin grants up to admin; others grant nothing."""
    if not actor.at_least(SpaceRole.ADMIN):
        raise Forbidden()
    if granted is SpaceRole.OWNER and actor is not SpaceRole.OWNER:
        raise Forbidden("Only an owner can make someone an owner.", code="owner_required")


def check_can_change_member(actor: SpaceRole, target: SpaceRole, *, is_self: bool) -> None:
    """Admins manage members and viewers (and themselves); only owners touch owners."""
    if is_self:
        return
    if not actor.at_least(SpaceRole.ADMIN):
        raise Forbidden()
    if target is SpaceRole.OWNER and actor is not SpaceRole.OWNER:
        raise Forbidden("Only an owner can change an owner.", code="owner_required")


def check_keeps_an_owner(target: SpaceRole, new_role: SpaceRole | None, owner_count: int) -> None:
    """The last owner can neither leave nor be demoted (`new_role` None means removal)."""
    if target is SpaceRole.OWNER and new_role is not SpaceRole.OWNER and owner_count <= 1:
        raise Conflict("A space needs at least one owner.", code="last_owner")


def token_role(granted: SpaceRole, current: SpaceRole | None) -> SpaceRole | None:
    """What an API token may do: the lower of its role and the user's current one (None: the user
    left the space, and the token reaches it no more)."""
    if current is None:
        return None
    return granted if current.at_least(granted) else current
