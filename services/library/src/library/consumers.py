"""The events the library consumes (each handler runs once per event, in the inbox transaction)."""

from library.handlers.lifecycle import on_space_deleted, on_user_deleted
from shelfspace_kernel.inbox import ConsumerSpec

CONSUMERS = [
    ConsumerSpec("library.space-deleted", ["identity.space.deleted"], on_space_deleted),
    ConsumerSpec("library.user-deleted", ["identity.user.deleted"], on_user_deleted),
]
