"""Roles: global (admin, user) and per space (owner > admin > member > viewer)."""

from enum import StrEnum


class GlobalRole(StrEnum):
    ADMIN = "admin"
    USER = "user"


class SpaceRole(StrEnum):
    VIEWER = "viewer"
    MEMBER = "member"
    ADMIN = "admin"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def at_least(self, other: "SpaceRole") -> bool:
        return self.rank >= other.rank


_RANKS = {SpaceRole.VIEWER: 1, SpaceRole.MEMBER: 2, SpaceRole.ADMIN: 3, SpaceRole.OWNER: 4}
