"""The job-step queue: a durable quorum queue; one small message per step (job id + step number).

The database row is the truth: a message only says "run step N of job J now". Stale or duplicate
messages are dropped by the worker, lost ones are replaced by the sweeper.
"""

import json
import uuid

import aio_pika

from shelfspace_kernel.broker import Broker
from shelfspace_kernel.tracing import current_context_headers


class StepQueue:
    def __init__(self, broker: Broker, name: str) -> None:
        self.broker = broker
        self.name = name
        self._declared = False

    async def declare(self) -> None:
        channel = await self.broker.channel()
        try:
            await channel.declare_queue(self.name, durable=True, arguments={"x-queue-type": "quorum"})
        finally:
            await channel.close()
        self._declared = True

    async def publish(self, job_id: uuid.UUID, step: int) -> None:
        """Publish with a broker confirm; raises when the broker is unreachable (the sweeper retries)."""
        if not self._declared:
            await self.declare()
        message = aio_pika.Message(
            body=json.dumps({"job_id": str(job_id), "step": step}).encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=f"{job_id}:{step}",
            # The request (or the previous step) that queued it: the worker's step span continues it.
            headers=current_context_headers(),
        )
        await self.broker.publish_to_queue(message, self.name)


def parse_step(body: bytes) -> tuple[uuid.UUID, int] | None:
    try:
        data = json.loads(body)
        return uuid.UUID(data["job_id"]), int(data["step"])
    except (ValueError, KeyError, TypeError):
        return None
