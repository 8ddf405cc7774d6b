"""A TCP proxy on loopback that a test can cut and restore, to take a dependency "down"."""

import asyncio
import contextlib

from tests.support.servers import free_port


class TcpProxy:
    def __init__(self, target_host: str, target_port: int, *, record: bool = False) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        # With `record`, everything clients sent through the proxy, for tests that read the wire.
        self.sent: bytearray | None = bytearray() if record else None

    async def open(self) -> "TcpProxy":
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        return self

    async def cut(self) -> None:
        """Stop listening and drop every open connection, as if the dependency had stopped."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(*self.target)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await self._connect()
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer, self.sent), self._pipe(up_reader, writer))

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: bytearray | None = None
    ) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while data := await reader.read(65536):
                if record is not None:
                    record += data
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
        self._writers.discard(writer)


class Balancer(TcpProxy):
    """One address in front of several replicas, as a Kubernetes Service is: each new connection goes
    to the next replica in turn, skipping one that refuses it (a killed replica is out of rotation
    until it listens again). Connections already open to a replica die with it."""

    def __init__(self, target_ports: list[int]) -> None:
        super().__init__("127.0.0.1", target_ports[0])
        self.target_ports = target_ports
        self._turn = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        for _ in self.target_ports:
            port = self.target_ports[self._turn % len(self.target_ports)]
            self._turn += 1
            try:
                return await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                continue
        raise ConnectionRefusedError(f"no replica behind port {self.port} accepts connections")
