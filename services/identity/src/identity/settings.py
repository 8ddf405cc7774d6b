"""Settings of the identity service, each read from the environment variable of the same name."""

from shelfspace_kernel.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    pass
