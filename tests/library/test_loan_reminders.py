"""Overdue-loan reminders on a stack of its own with a mail server (identity, library, gateway): two
runs of the reminder job at once claim each loan once, and identity mails one reminder, to the
borrower when a member of the space, else to whoever lent the copy."""

import asyncio
import importlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from gateway.main import create_app as create_gateway
from library.handlers.loans import send_reminders
from shelfspace_kernel.migrations import migrate
from tests.fakes.smtp import FakeSmtp
from tests.support import infra
from tests.support.audit import eventually
from tests.support.fixtures import SHARED_SYSTEM_IDENTITY, System, gateway_over, service_migrations, until_healthy
from tests.support.identity import make_space_with_roles
from tests.support.servers import RunningApp

MAIL = {"public_url": "http://shelf.test", "smtp_from": "shelf@shelf.test", "smtp_starttls": "off",
        "mail_send_every_seconds": 0.2, "mail_retry_max_seconds": 0.5}  # fmt: skip
SERVICES = ("identity", "library", "audit")


@pytest.fixture(scope="module")
async def smtp():
    server = FakeSmtp().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def stack(postgres, amqp_url, keys, service_settings, smtp):
    """Its own database and vhost, so no other identity (without a mail server) takes the events."""

    name, vhost = infra.new_name("shelfspace_loans"), infra.new_name("shelfspace_loans")
    infra.bootstrap_database(postgres, name)
    infra.create_vhost(vhost, "guest")
    amqp = infra.with_vhost(amqp_url, vhost)
    running: dict[str, RunningApp] = {}
    gateway = None
    try:
        for service in SERVICES:
            url = postgres.service_url(name, service)
            await migrate(url, service_migrations(service), service)
            overrides = {"database_url": url, "amqp_url": amqp}
            if service == "identity":
                overrides |= {**SHARED_SYSTEM_IDENTITY, **MAIL, "smtp_url": smtp.url}
            if service == "library":
                overrides["loan_reminder_interval_seconds"] = 3600  # the test runs the job itself
            create_app = importlib.import_module(f"{service}.main").create_app
            settings = service_settings(service, **overrides)
            running[service] = await RunningApp(lambda c=create_app, s=settings: c(s)).start()
            await until_healthy(running[service].url)
        urls = {service: app.url for service, app in running.items()}
        gateway = await RunningApp(lambda: create_gateway(gateway_over(urls, keys, amqp))).start()
        yield System(running, gateway)
    finally:
        if gateway is not None:
            await gateway.stop()
        for app in running.values():
            await app.stop()
        infra.drop_database(postgres, name)
        infra.delete_vhost(vhost)


async def _overdue_loan(account, copy_id: str, **borrower) -> dict:
    now = datetime.now(UTC)
    body = {
        **borrower,
        "lent_at": (now - timedelta(days=30)).isoformat(),
        "due_at": (now - timedelta(days=2)).isoformat(),
    }
    response = await account.client.post(f"/api/copies/{copy_id}/loans", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _copy(account, title: str) -> str:
    body = {"title": title, "media_type": "movie", "copies": [{"format": "DVD"}]}
    response = await account.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()["copies"][0]["id"]


async def test_two_reminder_runs_at_once_send_one_mail_per_overdue_loan(stack, smtp):
    space = await make_space_with_roles(stack)
    library = stack.services["library"].app.state.sessionmaker
    try:
        to_member = await _copy(space.member, "Alien")
        by_name = await _copy(space.member, "Aliens")

        async def member_loan():
            response = await space.member.client.post(
                f"/api/copies/{to_member}/loans",
                json={
                    "borrower_user_id": str(space.viewer.id),
                    "lent_at": (datetime.now(UTC) - timedelta(days=30)).isoformat(),
                    "due_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
                },
            )
            return response.json() if response.status_code == 201 else None

        borrowed = await eventually(member_loan, timeout=30, every=0.2)  # once library knows the viewer
        lent = await _overdue_loan(space.member, by_name, borrower_name="Ripley")

        async def run_job() -> None:
            async with library.begin() as session:
                await send_reminders(session)

        await asyncio.gather(run_job(), run_job())
        await run_job()  # a later run finds nothing left to remind of
        to_viewer = await smtp.wait_for(space.viewer.email)
        to_lender = await smtp.wait_for(space.member.email)
        await asyncio.sleep(2)  # time for a second mail, were one queued

        async with library() as session:
            reminders = list(
                await session.scalars(
                    text("SELECT payload->>'entity_id' FROM outbox WHERE routing_key = 'library.loan.reminder_due'")
                )
            )
    finally:
        await space.aclose()

    assert sorted(reminders) == sorted([borrowed["id"], lent["id"]])
    assert len(smtp.messages_to(space.viewer.email)) == 1
    assert len(smtp.messages_to(space.member.email)) == 1
    assert "Alien" in to_viewer["Subject"]
    assert "Ripley" in to_lender["Subject"]
