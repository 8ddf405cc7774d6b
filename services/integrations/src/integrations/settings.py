"""Settings of the integrations service, each read from the environment variable of the same name."""

from shelfspace_kernel.settings import ServiceSettings


class IntegrationsSettings(ServiceSettings):
    pass
