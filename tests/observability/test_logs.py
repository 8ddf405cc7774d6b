"""Logs: with LOG_FORMAT=json every line a process writes is one JSON object, its libraries' lines
too (uvicorn), and an event's handling logs carry the request id the event came with (and is counted)."""

import json
import uuid

import aio_pika
import httpx

from shelfspace_kernel.broker import Broker
from tests.support import infra
from tests.support.audit import an_event, eventually, publish
from tests.support.clients import signed_client
from tests.support.metrics import scrape, value
from tests.support.processes import ServiceProcess


async def test_a_service_with_json_logs_writes_only_json_lines_with_request_ids(service_settings, keys, amqp_url):
    vhost = infra.new_name("shelfspace_logs")
    infra.create_vhost(vhost, "guest")
    amqp = infra.with_vhost(amqp_url, vhost)
    settings = service_settings("audit", log_format="json", amqp_url=amqp)
    service = ServiceProcess("audit", settings)
    service.env["LOG_LEVEL"] = "INFO"
    broker = Broker(amqp, settings.events_exchange, service="test-logs")
    try:
        await service.start()
        async with signed_client(service.url, keys, "audit", user_id=uuid.uuid4(), global_role="admin") as client:
            listed = await client.get("/api/admin/activity", headers={"x-request-id": "listing-1"})
        async with httpx.AsyncClient(base_url=service.url) as anonymous:
            refused = await anonymous.get("/api/admin/activity", headers={"x-request-id": "bad id with spaces"})
        await broker.start()
        await broker.wait_ready(10)
        await publish(broker, an_event(request_id="event-request-7"))
        unreadable = aio_pika.Message(b"not an event", headers={"x-request-id": "broken-event-9"}, message_id="m-1")
        await broker.exchange.publish(unreadable, routing_key="library.media.created")

        def lines() -> list[dict]:
            return [json.loads(line) for line in service.log_path.read_text().splitlines() if line.strip()]

        async def dead_lettered() -> list[dict] | None:
            found = [line for line in lines() if line.get("event") == "event_dead_lettered"]
            return found or None

        dead = (await eventually(dead_lettered, timeout=30))[0]
        every_line = lines()  # json.loads fails the test on any line that is not JSON
        samples = await scrape(f"{service.url}/metrics")
    finally:
        await broker.stop()
        await service.stop()
        infra.delete_vhost(vhost)

    assert [listed.status_code, refused.status_code] == [200, 401]
    assert all({"event", "level", "timestamp"} <= line.keys() for line in every_line)
    assert any(line.get("logger", "").startswith("uvicorn") for line in every_line)
    assert not any("\x1b" in json.dumps(line, ensure_ascii=False) for line in every_line)
    requests = [line for line in every_line if line["event"] == "request"]
    assert {"listing-1"} <= {line["request_id"] for line in requests}
    assert not any(line["request_id"] == "bad id with spaces" for line in requests)
    assert dead["request_id"] == "broken-event-9"
    assert dead["consumer"] == "audit.activity"
    assert dead["service"] == "audit"
    counted = "shelfspace_consumer_events_total"
    assert value(samples, counted, queue="audit.activity", outcome="dead_lettered") == 1
    assert value(samples, counted, queue="audit.activity", outcome="processed") == 1
