"""The identity service's composition root: its routers, consumers and jobs on the shared app."""

from fastapi import FastAPI

from identity import SERVICE, bootstrap
from identity.api import internal, public
from identity.events import CONSUMERS
from identity.handlers import loan_reminders, mail, resets, two_factor
from identity.handlers.limits import purge_old_attempts
from identity.handlers.sessions import purge_expired
from identity.settings import IdentitySettings
from shelfspace_kernel.app import create_service_app
from shelfspace_kernel.inbox import ConsumerSpec
from shelfspace_kernel.periodic import PeriodicJob

MAIL_COMPOSERS: dict[str, mail.Composer] = {resets.MAIL_KIND: resets.compose_mail}


def periodic_jobs(settings: IdentitySettings) -> list[PeriodicJob]:
    return [
        PeriodicJob(
            "identity.sessions.purge_expired",
            settings.session_cleanup_every_seconds,
            lambda session: purge_expired(session, settings),
        ),
        PeriodicJob(
            "identity.login_attempts.purge",
            settings.session_cleanup_every_seconds,
            lambda session: purge_old_attempts(session, settings),
        ),
        PeriodicJob(
            "identity.login_challenges.purge",
            settings.session_cleanup_every_seconds,
            two_factor.purge_expired_challenges,
        ),
        PeriodicJob(
            "identity.mail.send",
            settings.mail_send_every_seconds,
            lambda session: mail.send_due(session, settings, MAIL_COMPOSERS),
        ),
    ]


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()
    app = create_service_app(
        SERVICE,
        settings,
        routers=[public.router, internal.router],
        consumers=[
            *CONSUMERS,
            ConsumerSpec("identity.loan-reminders", [loan_reminders.EVENT], loan_reminders.reminder_handler(settings)),
        ],
        periodic_jobs=periodic_jobs(settings),
    )
    app.state.identity = bootstrap.build(settings)
    return app
