"""What the audit service adds to its `/health`: how far its consumers are behind."""

from typing import Any

from fastapi import FastAPI


async def consumer_backlogs(app: FastAPI) -> dict[str, Any]:
    """`{"consumers": {name: {"backlog": n | None}}}`; None while the broker is unreachable."""
    consumers = getattr(app.state, "consumers", [])
    return {"consumers": {consumer.spec.name: {"backlog": await consumer.backlog()} for consumer in consumers}}
