"""The events the library consumes (each handler runs once per event, in the inbox transaction)."""

from library.covers.storage import CoverStorage
from library.handlers.lifecycle import on_user_deleted, space_deletion
from library.handlers.loans import on_membership_added, on_membership_removed
from shelfspace_kernel.inbox import ConsumerSpec


def consumers(storage: CoverStorage) -> list[ConsumerSpec]:
    """The library's consumers; a deleted space's own covers are deleted from `storage`."""
    return [
        ConsumerSpec("library.space-deleted", ["identity.space.deleted"], space_deletion(storage)),
        ConsumerSpec("library.user-deleted", ["identity.user.deleted"], on_user_deleted),
        ConsumerSpec(
            "library.membership-added",
            ["identity.membership.added", "identity.membership.role_changed"],
            on_membership_added,
        ),
        ConsumerSpec("library.membership-removed", ["identity.membership.removed"], on_membership_removed),
    ]
