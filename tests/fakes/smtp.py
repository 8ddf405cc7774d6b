"""A local SMTP server (aiosmtpd) that keeps every message it accepts; it can be stopped and
started again on the same port, to play a mail server outage."""

import asyncio
import email
import email.policy
import threading
import time
from email.message import EmailMessage as Message

from aiosmtpd.controller import Controller

from tests.support.servers import free_port


class _Keep:
    def __init__(self, inbox: "FakeSmtp") -> None:
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope) -> str:
        self.inbox.accept(envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


class FakeSmtp:
    def __init__(self) -> None:
        self.port = free_port()
        self._lock = threading.Lock()
        self._messages: list[tuple[list[str], Message]] = []
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def accept(self, recipients: list[str], message: Message) -> None:
        with self._lock:
            self._messages.append((recipients, message))

    def messages_to(self, recipient: str) -> list[Message]:
        with self._lock:
            return [message for recipients, message in self._messages if recipient in recipients]

    def start(self) -> "FakeSmtp":
        self._controller = Controller(_Keep(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def wait_for(self, recipient: str, timeout: float = 20.0) -> Message:
        deadline = time.monotonic() + timeout
        while not (found := self.messages_to(recipient)):
            assert time.monotonic() < deadline, f"no mail to {recipient} within {timeout}s"
            await asyncio.sleep(0.05)
        return found[-1]
