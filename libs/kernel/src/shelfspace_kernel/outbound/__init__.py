"""One policy for every call to a service outside the deployment (providers): see policy.py."""

from shelfspace_kernel.outbound.httpx_transport import OutboundAsyncTransport
from shelfspace_kernel.outbound.policy import (
    DEFAULT_PRIVATE_NETWORKS,
    OutboundPolicy,
    OutboundRefused,
    OutboundTooLarge,
    endpoint_of_url,
    parse_endpoints,
    parse_networks,
)
from shelfspace_kernel.outbound.requests_adapter import OutboundAdapter, outbound_session

__all__ = [
    "DEFAULT_PRIVATE_NETWORKS",
    "OutboundAdapter",
    "OutboundAsyncTransport",
    "OutboundPolicy",
    "OutboundRefused",
    "OutboundTooLarge",
    "endpoint_of_url",
    "outbound_session",
    "parse_endpoints",
    "parse_networks",
]
