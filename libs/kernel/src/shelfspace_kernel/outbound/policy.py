"""Where a call to an outside service may go: the address rules, checked on the resolved address.

A host is resolved once, each address is checked, and the caller connects to the checked address
itself (never to the name again), so a name cannot resolve to one address for the check and to
another for the connection.
"""

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from shelfspace_kernel.errors import AppError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]
T = TypeVar("T")

# A household's LAN, a VPN's addresses (Tailscale hands out 100.64.0.0/10) and IPv6 unique-local.
DEFAULT_PRIVATE_NETWORKS = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7"
# NAT64 embeds an IPv4 address in the last 32 bits; on a NAT64 network it reaches that IPv4 host.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# How long the addresses of the deployment's own endpoints are kept before they are resolved again.
INTERNAL_TTL_SECONDS = 30.0
# At most this many of a host's permitted addresses are tried, one after the other.
MAX_ADDRESSES = 3
ALLOW_HINT = "an operator can allow it with OUTBOUND_ALLOWED_NETWORKS (for example 127.0.0.1/32)"


class OutboundRefused(AppError):
    status, code = 422, "outbound_refused"
    message = "Shelfspace does not connect to this address."


class OutboundTooLarge(AppError):
    status, code = 502, "outbound_too_large"
    message = "The answer is larger than Shelfspace accepts."


class ConnectFailed(OSError):
    """The name did not resolve, or no resolved address could be connected to."""


def parse_networks(value: str | Iterable[str]) -> tuple[IPNetwork, ...]:
    """Comma-separated CIDRs (a bare address means just that address); ValueError names a bad one."""
    parts = value.split(",") if isinstance(value, str) else value
    networks = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"{part!r} is not a network in CIDR form (like 192.168.1.0/24)") from exc
    return tuple(_plain_network(n) for n in networks)


def parse_endpoints(value: str | Iterable[str]) -> tuple[tuple[str, int], ...]:
    """Comma-separated `host:port` pairs (`[v6]:port` for IPv6); ValueError names a bad one."""
    parts = value.split(",") if isinstance(value, str) else value
    endpoints = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            parsed = urlsplit(f"//{part}")
            host, port = parsed.hostname, parsed.port
        except ValueError:
            host = port = None
        if not host or port is None:
            raise ValueError(f"{part!r} is not an endpoint in host:port form (like postgres:5432)")
        endpoints.append((host, port))
    return tuple(endpoints)


def endpoint_of_url(url: str, default_port: int) -> tuple[str, int] | None:
    """The host and port a service URL (database, broker) connects to; None when it names none."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or default_port
    except ValueError:
        return None
    return (host, port) if host else None


def plain_address(address: str | IPAddress) -> IPAddress:
    """The address as the network sees it: an IPv4-mapped or NAT64 IPv6 address is its IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def _plain_network(network: IPNetwork) -> IPNetwork:
    if isinstance(network, ipaddress.IPv6Network) and network.prefixlen >= 96:
        mapped = network.network_address.ipv4_mapped
        if mapped is not None:
            return ipaddress.IPv4Network(f"{mapped}/{network.prefixlen - 96}")
    return network


def refused_kind(ip: IPAddress) -> str | None:
    """The kind of address no provider is reached at unless an operator allows it; None otherwise."""
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses of `host`, in the order the system resolver gives them, without duplicates."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


@dataclass
class _InternalAddresses:
    """The resolved addresses of the deployment's own endpoints, resolved again every TTL."""

    endpoints: tuple[tuple[str, int], ...]
    resolve: Resolver
    pairs: frozenset[tuple[IPAddress, int]] = frozenset()
    local_ports: frozenset[int] = frozenset()
    own_addresses: frozenset[IPAddress] = frozenset()
    expires: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self) -> None:
        with self.lock:
            if time.monotonic() < self.expires:
                return
            pairs: set[tuple[IPAddress, int]] = set()
            for host, port in self.endpoints:
                pairs.update((plain_address(a), port) for a in self._addresses(host, port))
            self.pairs = frozenset(pairs)
            # A service bound to loopback or to every interface answers on every loopback address and
            # on each of this machine's own addresses: its port is the deployment's on all of them.
            self.local_ports = frozenset(port for ip, port in pairs if ip.is_loopback or ip.is_unspecified)
            self.own_addresses = frozenset(plain_address(a) for a in self._addresses(socket.gethostname(), 0))
            self.expires = time.monotonic() + INTERNAL_TTL_SECONDS

    def _addresses(self, host: str, port: int) -> list[str]:
        try:
            return self.resolve(host, port)
        except OSError:
            return []  # a name this deployment does not use (`postgres` outside compose)

    def contains(self, ip: IPAddress, port: int) -> bool:
        self.refresh()
        if (ip, port) in self.pairs:
            return True
        return port in self.local_ports and (ip.is_loopback or ip.is_unspecified or ip in self.own_addresses)


@dataclass
class OutboundPolicy:
    """The rules for one process's calls to outside services (see docs/security.md, "Outbound")."""

    allowed_networks: tuple[IPNetwork, ...] = ()
    private_networks: tuple[IPNetwork, ...] = field(default_factory=lambda: parse_networks(DEFAULT_PRIVATE_NETWORKS))
    internal_endpoints: tuple[tuple[str, int], ...] = ()
    max_response_bytes: int = 32 * 1024 * 1024
    max_redirects: int = 3
    resolve: Resolver = system_resolver
    _internal: _InternalAddresses = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._internal = _InternalAddresses(self.internal_endpoints, self.resolve)

    # URLs -----------------------------------------------------------------------------------------

    @staticmethod
    def check_url(url: str) -> None:
        """Refuses a URL that is not plain http(s) to a host, or that carries a user name or password."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
            parts.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError as exc:
            raise OutboundRefused("The address is not a valid URL.") from exc
        if parts.scheme not in ("http", "https") or not host:
            raise OutboundRefused("Only http:// and https:// addresses with a host name are allowed.")
        if parts.username is not None or parts.password is not None:
            raise OutboundRefused(
                "The address must not contain a user name or password; enter credentials in the token field."
            )

    @staticmethod
    def check_redirect(url: str, status: int, location: str | None) -> None:
        """Refuses an answer that redirects to another scheme, host or port; same-origin ones may be followed."""
        if status not in (301, 302, 303, 307, 308) or not location:
            return
        here, there = urlsplit(url), urlsplit(location)
        if not there.netloc and not there.scheme:
            return  # a relative Location stays on this host
        scheme = there.scheme or here.scheme
        try:
            same = (scheme, there.hostname, there.port or _default_port(scheme)) == (
                here.scheme,
                here.hostname,
                here.port or _default_port(here.scheme),
            )
        except ValueError:
            same = False
        if not same:
            raise OutboundRefused(
                "The server redirected to another address, which Shelfspace does not follow: "
                "enter the address it redirects to as the base URL."
            )

    def check_answer(self, url: str, status: int, headers: Mapping[str, str]) -> None:
        """Refuses a redirect to another host, an answer declared larger than the cap, or an encoded one.

        Requests ask for unencoded answers, so the cap counts the bytes the caller will really hold.
        """
        self.check_redirect(url, status, headers.get("location"))
        length = (headers.get("content-length") or "").strip()
        if length.isdigit() and int(length) > self.max_response_bytes:
            raise self._too_large()
        if (headers.get("content-encoding") or "identity").strip().lower() != "identity":
            raise OutboundRefused("The server answered with a content encoding Shelfspace did not ask for.")

    def budget(self) -> Callable[[bytes], bytes]:
        """A counter for one answer's body: passes each chunk through, OutboundTooLarge past the cap."""
        seen = 0

        def count(chunk: bytes) -> bytes:
            nonlocal seen
            seen += len(chunk)
            if seen > self.max_response_bytes:
                raise self._too_large()
            return chunk

        return count

    def _too_large(self) -> OutboundTooLarge:
        return OutboundTooLarge(f"The answer is larger than {self.max_response_bytes // (1024 * 1024)} MB.")

    # Addresses ------------------------------------------------------------------------------------

    def refusal(self, address: str, port: int, host: str) -> OutboundRefused | None:
        """Why `address` (one of `host`'s) may not be connected to on `port`; None when it may."""
        ip = plain_address(address)
        if self._internal.contains(ip, port):
            return OutboundRefused(
                f"{host}:{port} is part of this Shelfspace deployment, which providers cannot point at."
            )
        if any(ip in network for network in self.allowed_networks if network.version == ip.version):
            return None
        kind = refused_kind(ip)
        if kind is not None:
            return OutboundRefused(f"{host} is a {kind} address, which Shelfspace does not connect to; {ALLOW_HINT}.")
        if any(ip in network for network in self.private_networks if network.version == ip.version):
            return None
        if not ip.is_global:
            return OutboundRefused(
                f"{host} is a private or reserved address outside OUTBOUND_PRIVATE_NETWORKS; {ALLOW_HINT}."
            )
        return None

    def addresses_for(self, host: str, port: int) -> list[str]:
        """The addresses of `host` that may be connected to, in resolver order.

        OutboundRefused when it has some but none may be; ConnectFailed when it does not resolve.
        """
        try:
            addresses = self.resolve(host, port)
        except OSError as exc:
            raise ConnectFailed(f"{host} did not resolve") from exc
        if not addresses:
            raise ConnectFailed(f"{host} did not resolve")
        refusals = [(address, self.refusal(address, port, host)) for address in addresses]
        permitted = [address for address, refused in refusals if refused is None]
        if not permitted:
            raise next(refused for _, refused in refusals if refused is not None)
        return permitted

    def connect(self, host: str, port: int, connect: Callable[[str], T], failures: tuple[type[Exception], ...]) -> T:
        """`connect(address)` to the first permitted address of `host` that answers (synchronous clients)."""
        failure: Exception = ConnectFailed(f"could not connect to {host}")
        for address in self.addresses_for(host, port)[:MAX_ADDRESSES]:
            try:
                return connect(address)
            except failures as exc:
                failure = exc
        raise failure


def _default_port(scheme: str) -> int | None:
    return {"http": 80, "https": 443}.get(scheme)
