"""An HTTP/1.1 service written by hand, so a test decides what each connection does and sends.

Every answer carries the request's `x-request-id` (as our services do) and a JSON body naming the
connection, the target and the body's length. The last path segment picks the behaviour:
`ok` answers; `last` answers and then drops the connection at the next request without a word;
`silent` never answers; `chunked` answers in chunked pieces; `interim` sends `100 Continue` and
`103 Early Hints` before its answer; `stray` answers and then, unasked, a second answer while the
connection is idle; `hop` answers with hop-by-hop headers; `cut` promises 1,000 bytes and
`cutlarge` 2 MiB, and both send a few and hang up.
"""

import asyncio
import json
from dataclasses import dataclass, field

from gateway.proxy import BUFFERED_BODY_BYTES

HOP_HEADERS = (
    b"connection: x-internal\r\nx-internal: secret\r\nkeep-alive: timeout=5\r\n"
    b"proxy-authenticate: Basic\r\ntrailer: x-checksum\r\nx-kept: yes\r\n"
)


@dataclass
class ScriptedService:
    connections: int = 0
    requests: list[dict] = field(default_factory=list)
    server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def start(self) -> "ScriptedService":
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        return self

    def close(self) -> None:
        if self.server is not None:
            self.server.close()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        drop_next = False
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                method, target, _ = head[0].split(" ")
                headers = dict(line.lower().split(": ", 1) for line in head[1:] if line)
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append({"method": method, "target": target, "headers": headers, "body": body})
                if drop_next:
                    return
                what = target.split("?")[0].rsplit("/", 1)[-1]
                if what == "silent":
                    await reader.read()  # until the gateway gives up and hangs up
                    return
                drop_next = what == "last"
                request_id = headers.get("x-request-id", "").encode()
                content = json.dumps({"connection": number, "target": target, "length": len(body)}).encode()
                await self._answer(writer, what, request_id, content)
                if what in ("cut", "cutlarge"):
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def _answer(self, writer: asyncio.StreamWriter, what: str, request_id: bytes, content: bytes) -> None:
        head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: %s\r\n" % request_id
        if what == "interim":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await writer.drain()
            await asyncio.sleep(0.01)
            writer.write(b"HTTP/1.1 103 Early Hints\r\nlink: </app.js>; rel=preload\r\n\r\n")
            await writer.drain()
            await asyncio.sleep(0.01)
        if what == "hop":
            head += HOP_HEADERS
        if what == "chunked":
            pieces = [content[:5], content[5:]]
            writer.write(head + b"transfer-encoding: chunked\r\n\r\n")
            writer.write(b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n")
        elif what in ("cut", "cutlarge"):
            promised = 1000 if what == "cut" else 2 * BUFFERED_BODY_BYTES
            writer.write(head + b"content-length: %d\r\n\r\n%s" % (promised, content[:10]))
        else:
            writer.write(head + b"content-length: %d\r\n\r\n%s" % (len(content), content))
        await writer.drain()
        if what == "stray":
            await asyncio.sleep(0.05)
            stray = json.dumps({"connection": -1, "target": "stray", "length": 0}).encode()
            writer.write(head + b"content-length: %d\r\n\r\n%s" % (len(stray), stray))
            await writer.drain()
