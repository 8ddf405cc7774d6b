"""Spacing a job's calls to a provider: at most `per_second` starts per second for each job."""

import asyncio
import uuid
from collections import OrderedDict

# Jobs whose pace is remembered; a worker runs a few at a time, so older ones have finished.
REMEMBERED_JOBS = 64


class Pacers:
    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next: OrderedDict[uuid.UUID, float] = OrderedDict()
        self._lock = asyncio.Lock()

    async def wait(self, job_id: uuid.UUID) -> None:
        """Sleep until the job's next call may start (the slot is taken before sleeping)."""
        async with self._lock:
            now = asyncio.get_running_loop().time()
            start = max(now, self._next.get(job_id, now))
            self._next[job_id] = start + self.interval
            self._next.move_to_end(job_id)
            while len(self._next) > REMEMBERED_JOBS:
                self._next.popitem(last=False)
        await asyncio.sleep(start - now)
