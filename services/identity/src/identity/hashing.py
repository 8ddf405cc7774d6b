"""Password work bounded per process: argon2 holds PASSWORD_HASH_MEMORY_KIB for each hash, so at
most PASSWORD_HASH_CONCURRENCY run at once (in threads of their own, off the event loop), at most
PASSWORD_HASH_QUEUE more wait, and anything beyond is refused at once with 503 `busy`."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from identity.domain.credentials import Passwords
from shelfspace_kernel.errors import Unavailable


class HasherBusy(Unavailable):
    code, message = "busy", "The server is busy checking passwords; try again in a moment."

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


class BoundedPasswords:
    def __init__(self, passwords: Passwords, concurrency: int, queue: int) -> None:
        self._passwords = passwords
        # The pool's size is the bound: a cancelled request cannot free a slot its hash still uses.
        self._threads = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="argon2")
        self._capacity = concurrency + queue
        self._admitted = 0

    async def hash(self, password: str) -> str:
        return await self._run(self._passwords.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True for the right password; an unknown account (None) costs the same and is False."""
        return await self._run(self._passwords.verify, password_hash, password)

    async def _run(self, work: Callable, *args):  # type: ignore[no-untyped-def]
        if self._admitted >= self._capacity:
            raise HasherBusy()
        self._admitted += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._threads, work, *args)
        finally:
            self._admitted -= 1
