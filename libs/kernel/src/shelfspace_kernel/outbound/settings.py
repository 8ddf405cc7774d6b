"""The outbound rules of a service that calls outside servers, read from its environment.

Shared by every service that reaches providers (integrations' media providers, identity's OpenID
providers), so one set of OUTBOUND_* variables means the same thing everywhere.
"""

from pydantic import field_validator

from shelfspace_kernel.outbound.policy import (
    DEFAULT_PRIVATE_NETWORKS,
    OutboundPolicy,
    endpoint_of_url,
    parse_endpoints,
    parse_networks,
)
from shelfspace_kernel.settings import ServiceSettings

# The deployment's own parts, never a provider's address: `make run`'s gateway and services (ports of
# scripts/run_local.py), Postgres and RabbitMQ (AMQP and management) on loopback, and the names of
# docker-compose.yml. Helm sets its own names. The service's own database, broker and port are added to it.
DEFAULT_INTERNAL_ENDPOINTS = ",".join(
    [
        *(f"127.0.0.1:{port}" for port in range(8080, 8086)),
        "127.0.0.1:5432",
        "127.0.0.1:5672",
        "127.0.0.1:15672",
        "gateway:8080",
        "frontend:8080",
        *(f"{service}:8000" for service in ("identity", "library", "integrations", "sync", "audit")),
        "postgres:5432",
        "rabbitmq:5672",
        "rabbitmq:15672",
    ]
)


class OutboundSettings(ServiceSettings):
    # Where provider calls may go (docs/security.md, "Outbound requests"): comma-separated CIDRs
    # allowed beyond the defaults (e.g. 127.0.0.1/32 for a server on this host), the LAN ranges allowed
    # by default (narrow them to your LAN, or empty for none), and host:port pairs always refused.
    outbound_allowed_networks: str = ""
    outbound_private_networks: str = DEFAULT_PRIVATE_NETWORKS
    outbound_internal_endpoints: str = DEFAULT_INTERNAL_ENDPOINTS
    outbound_max_response_bytes: int = 32 * 1024 * 1024
    outbound_max_redirects: int = 3

    @field_validator("outbound_allowed_networks", "outbound_private_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)
        return value

    @field_validator("outbound_internal_endpoints")
    @classmethod
    def _endpoints(cls, value: str) -> str:
        parse_endpoints(value)
        return value


def outbound_policy(settings: OutboundSettings) -> OutboundPolicy:
    """The outbound rules from the settings, with the service's own database, broker and port refused."""
    broker = endpoint_of_url(settings.amqp_url, 5672)
    own = [endpoint_of_url(settings.database_url, 5432), broker, (settings.host, settings.port)]
    if broker is not None:
        own.append((broker[0], 15672))  # the management API beside the broker
    return OutboundPolicy(
        allowed_networks=parse_networks(settings.outbound_allowed_networks),
        private_networks=parse_networks(settings.outbound_private_networks),
        internal_endpoints=(*parse_endpoints(settings.outbound_internal_endpoints), *(e for e in own if e)),
        max_response_bytes=settings.outbound_max_response_bytes,
        max_redirects=settings.outbound_max_redirects,
    )
