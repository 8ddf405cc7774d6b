"""A stand-in for the image CDN that seeded titles name (https://image.tmdb.org/t/p/w500/...): an
HTTPS server on loopback that answers every path with a poster-sized PNG. Chromium reaches it by a
host resolver rule, so posters load without the app's own requests passing any interception."""

import asyncio
import ssl
import struct
import tempfile
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CDN_HOST = "image.tmdb.org"


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# The CDN's w500 size: decoded off the main thread like a real poster (an SVG would be drawn on it).
POSTER = _png(500, 750, (138, 148, 166))
RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nCache-Control: max-age=86400\r\n"
    + f"Content-Length: {len(POSTER)}\r\n\r\n".encode()
    + POSTER
)


def _tls(host: str) -> ssl.SSLContext:
    """A server context with a throwaway self-signed certificate for `host` (the browser is told to
    accept it with --ignore-certificate-errors)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:
        cert, private = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        context.load_cert_chain(cert, private)
    return context


class PosterServer:
    def __init__(self) -> None:
        self.served = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> "PosterServer":
        self._server = await asyncio.start_server(self._answer, "127.0.0.1", 0, ssl=_tls(CDN_HOST))
        return self

    @property
    def host_rule(self) -> str:
        """Chromium's host resolver rule that sends the CDN's host here."""
        assert self._server is not None, "start() the server first"
        return f"MAP {CDN_HOST} 127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.readuntil(b"\r\n\r\n"):  # a GET without a body; the connection is kept
                self.served += 1
                writer.write(RESPONSE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
