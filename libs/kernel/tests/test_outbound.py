"""The outbound policy: which addresses a provider call may reach, and the clients that apply it."""

import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from shelfspace_kernel.outbound import (
    OutboundAsyncTransport,
    OutboundPolicy,
    OutboundRefused,
    OutboundTooLarge,
    outbound_session,
    parse_endpoints,
    parse_networks,
)
from shelfspace_kernel.outbound.policy import ConnectFailed

LOOPBACK = parse_networks("127.0.0.1/32,::1/128")
EVERYWHERE = parse_networks("0.0.0.0/0,::/0")


def names(table: dict[str, list[str]], calls: list[str] | None = None) -> Callable[[str, int], list[str]]:
    """A resolver answering from `table` (addresses as given) and recording each name it is asked for."""

    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if host not in table:
            raise OSError(f"{host} does not resolve")
        return table[host]

    return resolve


def refused(policy: OutboundPolicy, address: str, port: int = 443) -> bool:
    return policy.refusal(address, port, "the host") is not None


# The address rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.9.8.7",
        "::1",
        "169.254.169.254",
        "fe80::1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:0.0.0.0",
        "64:ff9b::7f00:1",
    ],
)
def test_loopback_link_local_unspecified_and_multicast_addresses_are_refused_by_default(address):
    assert refused(OutboundPolicy(), address)


@pytest.mark.parametrize(
    "address",
    [
        "192.168.1.10",
        "10.0.0.5",
        "172.16.3.4",
        "100.100.1.1",
        "fd12::1",
        "::ffff:192.168.1.10",
        "8.8.8.8",
        "2606:4700::1",
    ],
)
def test_lan_vpn_and_public_addresses_are_allowed_by_default(address):
    assert not refused(OutboundPolicy(), address)


def test_a_refusal_says_which_setting_allows_the_address():
    refusal = OutboundPolicy().refusal("127.0.0.1", 32400, "plex.local")

    assert refusal is not None
    assert refusal.status == 422
    assert "plex.local is a loopback address" in refusal.message
    assert "OUTBOUND_ALLOWED_NETWORKS" in refusal.message


def test_an_operator_allowlist_opens_exactly_the_listed_networks():
    policy = OutboundPolicy(allowed_networks=parse_networks("127.0.0.1/32"))

    assert not refused(policy, "127.0.0.1")
    assert not refused(policy, "::ffff:127.0.0.1")
    assert refused(policy, "127.0.0.2")
    assert refused(policy, "::1")
    assert refused(policy, "169.254.169.254")


def test_an_allowlist_written_as_mapped_ipv6_means_the_ipv4_network():
    policy = OutboundPolicy(allowed_networks=parse_networks("::ffff:127.0.0.0/104"))

    assert not refused(policy, "127.0.0.1")


def test_a_narrowed_lan_refuses_the_rest_of_the_private_ranges():
    policy = OutboundPolicy(private_networks=parse_networks("192.168.1.0/24"))

    assert not refused(policy, "192.168.1.20")
    assert refused(policy, "192.168.2.20")
    assert refused(policy, "10.0.0.1")
    assert refused(policy, "fd00::1")
    assert "OUTBOUND_PRIVATE_NETWORKS" in policy.refusal("10.0.0.1", 80, "h").message
    assert not refused(policy, "8.8.8.8")


def test_an_empty_lan_setting_allows_public_addresses_only():
    policy = OutboundPolicy(private_networks=(), allowed_networks=parse_networks("10.9.0.0/16"))

    assert refused(policy, "192.168.1.20")
    assert not refused(policy, "10.9.1.1")
    assert not refused(policy, "1.1.1.1")


def test_the_deployments_own_endpoints_are_refused_whatever_is_allowed():
    policy = OutboundPolicy(
        allowed_networks=EVERYWHERE,
        internal_endpoints=parse_endpoints("127.0.0.1:5432,rabbitmq:5672,[::1]:8081"),
        resolve=names({"rabbitmq": ["10.1.2.3"]}),
    )

    assert refused(policy, "127.0.0.1", 5432)
    # A service on loopback answers on every loopback address, in both families.
    assert refused(policy, "127.0.0.2", 5432)
    assert refused(policy, "::1", 5432)
    assert refused(policy, "::ffff:127.0.0.1", 5432)
    assert refused(policy, "127.0.0.1", 8081)
    assert refused(policy, "10.1.2.3", 5672)
    assert not refused(policy, "10.1.2.3", 80)
    assert not refused(policy, "127.0.0.1", 32400)
    assert "part of this Shelfspace deployment" in policy.refusal("127.0.0.1", 5432, "h").message


def test_an_internal_name_that_does_not_resolve_is_skipped():
    policy = OutboundPolicy(internal_endpoints=(("postgres", 5432),), resolve=names({}))

    assert not refused(policy, "192.168.1.5", 5432)


def test_a_name_is_refused_when_every_address_it_resolves_to_is():
    policy = OutboundPolicy(
        resolve=names({"evil.test": ["127.0.0.1", "::1"], "mixed.test": ["127.0.0.1", "93.184.216.34"]})
    )

    with pytest.raises(OutboundRefused, match=r"evil\.test is a loopback address"):
        policy.addresses_for("evil.test", 80)
    assert policy.addresses_for("mixed.test", 80) == ["93.184.216.34"]


def test_a_name_that_does_not_resolve_is_a_connection_failure():
    with pytest.raises(ConnectFailed):
        OutboundPolicy(resolve=names({})).addresses_for("nowhere.test", 80)


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@plex.example:32400/",
        "http://user@plex.example/",
        "http://:secret@plex.example/",
        "ftp://plex.example/",
        "file:///etc/passwd",
        "http:///path",
        "http://plex.example:99999/",
    ],
)
def test_urls_with_credentials_other_schemes_or_no_host_are_refused(url):
    with pytest.raises(OutboundRefused):
        OutboundPolicy.check_url(url)


def test_plain_http_and_https_urls_pass():
    OutboundPolicy.check_url("https://api.themoviedb.org/3/search?api_key=x")
    OutboundPolicy.check_url("http://[fd00::5]:32400/")


@pytest.mark.parametrize(
    ("location", "followed"),
    [
        ("/new/place", True),
        ("http://plex.example:32400/new", True),
        ("//plex.example:32400/new", True),
        ("http://PLEX.example:32400/new", True),
        ("http://other.example:32400/new", False),
        ("http://plex.example:32401/new", False),
        ("https://plex.example:32400/new", False),
        ("//other.example/new", False),
    ],
)
def test_a_redirect_may_only_stay_on_the_same_scheme_host_and_port(location, followed):
    def check() -> None:
        OutboundPolicy.check_redirect("http://plex.example:32400/old", 302, location)

    if followed:
        check()
    else:
        with pytest.raises(OutboundRefused, match="redirected to another address"):
            check()


def test_a_redirect_without_a_port_means_the_schemes_default_port():
    OutboundPolicy.check_redirect("https://api.example/a", 301, "//api.example/b")
    OutboundPolicy.check_redirect("https://api.example:443/a", 301, "https://api.example/b")
    with pytest.raises(OutboundRefused):
        OutboundPolicy.check_redirect("https://api.example/a", 301, "http://api.example/b")


def test_settings_values_are_parsed_or_named_in_the_error():
    assert parse_endpoints("postgres:5432, [::1]:8081") == (("postgres", 5432), ("::1", 8081))
    with pytest.raises(ValueError, match=r"'postgres'"):
        parse_endpoints("postgres")
    with pytest.raises(ValueError, match=r"'10\.0\.0\.0/33'"):
        parse_networks("10.0.0.0/8,10.0.0.0/33")


# The clients, against real listeners -------------------------------------------------------------

Answer = tuple[int, dict[str, str], bytes]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server = self.server
        server.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))  # type: ignore[attr-defined]
        status, headers, body = server.answer(self.path)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def listener(
    host: str = "127.0.0.1", answer: Callable[[str], Answer] | None = None, tls: ssl.SSLContext | None = None
) -> Iterator[ThreadingHTTPServer]:
    """An HTTP/1.0 server in a thread (the body ends when the connection closes)."""

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        daemon_threads = True

    server = Server((host, 0), _Handler)
    server.seen = []  # type: ignore[attr-defined]
    server.answer = answer or (lambda path: (200, {"content-type": "text/plain"}, b"hello"))  # type: ignore[attr-defined]
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def url_of(server: ThreadingHTTPServer, host: str | None = None, scheme: str = "http") -> str:
    address, port = server.server_address[:2]
    host = host or (f"[{address}]" if ":" in str(address) else str(address))
    return f"{scheme}://{host}:{port}"


async def get(policy: OutboundPolicy, url: str, **kwargs) -> httpx.Response:
    transport = OutboundAsyncTransport(policy, verify=kwargs.pop("verify", True))
    async with httpx.AsyncClient(transport=transport, follow_redirects=True, max_redirects=policy.max_redirects) as c:
        return await c.get(url, **kwargs)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
async def test_httpx_refuses_a_loopback_listener_unless_allowed(host):
    with listener(host) as server:
        with pytest.raises(OutboundRefused, match="loopback"):
            await get(OutboundPolicy(), url_of(server) + "/secret")
        assert server.seen == []

        response = await get(OutboundPolicy(allowed_networks=LOOPBACK), url_of(server) + "/ok")

    assert response.status_code == 200
    assert response.text == "hello"


async def test_httpx_resolves_a_name_once_and_connects_to_the_checked_address():
    calls: list[str] = []
    policy = OutboundPolicy(allowed_networks=LOOPBACK, resolve=names({"provider.test": ["127.0.0.1"]}, calls))
    with listener() as server:
        response = await get(policy, url_of(server, "provider.test") + "/ok")

    assert response.status_code == 200
    assert calls.count("provider.test") == 1
    assert server.seen[0][1]["host"] == f"provider.test:{server.server_address[1]}"


async def test_httpx_refuses_a_name_that_resolves_to_loopback():
    with listener() as server, pytest.raises(OutboundRefused, match="localhost is a loopback address"):
        await get(OutboundPolicy(), url_of(server, "localhost"))

    assert server.seen == []


async def test_httpx_follows_a_redirect_on_the_same_host_and_refuses_one_to_another_host():
    resolve = names({"plex.test": ["127.0.0.1"], "elsewhere.test": ["127.0.0.1"]})
    policy = OutboundPolicy(allowed_networks=LOOPBACK, resolve=resolve)
    with listener() as other:
        elsewhere = url_of(other, "elsewhere.test") + "/steal"

        def answer(path: str) -> Answer:
            if path == "/old":
                return 302, {"location": "/new"}, b""
            if path == "/away":
                return 302, {"location": elsewhere}, b""
            return 200, {}, b"arrived"

        with listener(answer=answer) as plex:
            followed = await get(policy, url_of(plex, "plex.test") + "/old", headers={"x-plex-token": "t0ken"})
            with pytest.raises(OutboundRefused, match="redirected to another address"):
                await get(policy, url_of(plex, "plex.test") + "/away", headers={"x-plex-token": "t0ken"})

    assert followed.text == "arrived"
    assert [path for path, _ in plex.seen] == ["/old", "/new", "/away"]
    assert other.seen == []


async def test_httpx_stops_reading_an_answer_past_the_size_cap():
    big = b"x" * 300_000

    def answer(path: str) -> Answer:
        return (200, {"content-length": str(len(big))} if path == "/declared" else {}, big)

    policy = OutboundPolicy(allowed_networks=LOOPBACK, max_response_bytes=100_000)
    with listener(answer=answer) as server:
        with pytest.raises(OutboundTooLarge):
            await get(policy, url_of(server) + "/declared")
        with pytest.raises(OutboundTooLarge):
            await get(policy, url_of(server) + "/streamed")
        small = await get(OutboundPolicy(allowed_networks=LOOPBACK, max_response_bytes=400_000), url_of(server))

    assert len(small.content) == len(big)
    assert all(headers["accept-encoding"] == "identity" for _, headers in server.seen)


def _certificate(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for `name`: (the server's context, a client context trusting it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_file, key_file)
    return server, ssl.create_default_context(cafile=str(cert_file))


async def test_tls_checks_the_certificate_against_the_host_name_not_the_address(tmp_path):
    server_tls, client_tls = _certificate(tmp_path, "provider.test")
    policy = OutboundPolicy(allowed_networks=LOOPBACK, resolve=names({"provider.test": ["127.0.0.1"]}))
    with listener(tls=server_tls) as server:
        response = await get(policy, url_of(server, "provider.test", "https"), verify=client_tls)
        with pytest.raises(httpx.ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|certificate"):
            await get(policy, url_of(server, "127.0.0.1", "https"), verify=client_tls)

    assert response.text == "hello"


def test_a_requests_session_checks_the_certificate_against_the_host_name_not_the_address(tmp_path):
    server_tls, _ = _certificate(tmp_path, "plex.test")
    calls: list[str] = []
    policy = OutboundPolicy(allowed_networks=LOOPBACK, resolve=names({"plex.test": ["127.0.0.1"]}, calls))
    session = outbound_session(policy)
    with listener(tls=server_tls) as server:
        response = session.get(url_of(server, "plex.test", "https"), verify=str(tmp_path / "cert.pem"), timeout=5)
        with pytest.raises(requests.exceptions.SSLError):
            session.get(url_of(server, "127.0.0.1", "https"), verify=str(tmp_path / "cert.pem"), timeout=5)

    assert response.text == "hello"
    assert calls.count("plex.test") == 1


def test_a_requests_session_refuses_loopback_unless_allowed():
    with listener("::1") as server:
        with pytest.raises(OutboundRefused, match="loopback"):
            outbound_session(OutboundPolicy()).get(url_of(server), timeout=5)
        assert server.seen == []

        response = outbound_session(OutboundPolicy(allowed_networks=LOOPBACK)).get(url_of(server), timeout=5)

    assert response.text == "hello"


def test_a_requests_session_never_sends_a_token_to_another_host():
    policy = OutboundPolicy(
        allowed_networks=LOOPBACK, resolve=names({"plex.test": ["127.0.0.1"], "elsewhere.test": ["127.0.0.1"]})
    )
    with listener() as other:
        elsewhere = url_of(other, "elsewhere.test") + "/steal"

        def answer(path: str) -> Answer:
            if path == "/old":
                return 301, {"location": "/new"}, b""
            if path == "/away":
                return 307, {"location": elsewhere}, b""
            return 200, {}, b"arrived"

        with listener(answer=answer) as plex:
            session = outbound_session(policy)
            followed = session.get(url_of(plex, "plex.test") + "/old", headers={"X-Plex-Token": "t0ken"}, timeout=5)
            with pytest.raises(OutboundRefused, match="redirected to another address"):
                session.get(url_of(plex, "plex.test") + "/away", headers={"X-Plex-Token": "t0ken"}, timeout=5)

    assert followed.text == "arrived"
    assert other.seen == []


def test_a_requests_session_stops_reading_past_the_size_cap():
    policy = OutboundPolicy(allowed_networks=LOOPBACK, max_response_bytes=100_000)
    with listener(answer=lambda path: (200, {}, b"x" * 300_000)) as server:
        with pytest.raises(OutboundTooLarge):
            outbound_session(policy).get(url_of(server), timeout=5)
        streamed = outbound_session(policy).get(url_of(server), timeout=5, stream=True)
        with pytest.raises(OutboundTooLarge):
            streamed.raw.read(200_000, decode_content=True)

    assert server.seen[0][1]["accept-encoding"] == "identity"


def test_a_requests_session_ignores_proxies_from_the_environment(monkeypatch):
    with listener() as server:
        # A proxy that is not there: a request sent to it would fail.
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_closed_port()}")
        response = outbound_session(OutboundPolicy(allowed_networks=LOOPBACK)).get(url_of(server), timeout=5)

    assert response.text == "hello"
    assert requests.utils.get_environ_proxies(url_of(server))  # the proxy was there to be ignored


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
