"""Settings of the audit service, each read from the environment variable of the same name."""

from shelfspace_kernel.settings import ServiceSettings


class AuditSettings(ServiceSettings):
    pass
