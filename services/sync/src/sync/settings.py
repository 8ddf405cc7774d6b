"""Settings of the sync service, each read from the environment variable of the same name."""

from shelfspace_kernel.settings import ServiceSettings


class SyncSettings(ServiceSettings):
    pass
