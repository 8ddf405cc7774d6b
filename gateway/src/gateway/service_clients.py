"""httpx clients for the gateway's own calls to the services: session lookups and
OpenAPI documents. Forwarded requests go through proxy.py."""

import httpx


def create_clients(urls: dict[str, str], connect: float, read: float) -> dict[str, httpx.AsyncClient]:
    timeout = httpx.Timeout(connect=connect, read=read, write=read, pool=connect)
    # Idle connections are dropped before the services' 30 s keep-alive ends.
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=10, keepalive_expiry=15.0)
    return {name: httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) for name, url in urls.items()}
