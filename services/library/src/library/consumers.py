"""The events the library consumes (each handler runs once per event, in the inbox transaction)."""

from library.handlers.lifecycle import on_space_deleted, on_user_deleted
from library.handlers.loans import on_membership_added, on_membership_removed
from shelfspace_kernel.inbox import ConsumerSpec

CONSUMERS = [
    ConsumerSpec("library.space-deleted", ["identity.space.deleted"], on_space_deleted),
    ConsumerSpec("library.user-deleted", ["identity.user.deleted"], on_user_deleted),
    ConsumerSpec(
        "library.membership-added",
        ["identity.membership.added", "identity.membership.role_changed"],
        on_membership_added,
    ),
    ConsumerSpec("library.membership-removed", ["identity.membership.removed"], on_membership_removed),
]
