"""Sending one email over SMTP (aiosmtplib) as SMTP_URL, SMTP_FROM and the TLS settings say."""

import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

import aiosmtplib

from identity.settings import IdentitySettings


class PermanentMailFailure(Exception):
    """The server refused this mail for good (a 5xx answer): sending it again cannot help."""


def build_message(settings: IdentitySettings, recipient: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=parseaddr(settings.smtp_from)[1].rpartition("@")[2] or None)
    message.set_content(body)
    return message


def _tls_context(settings: IdentitySettings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.smtp_ca_file or None)
    if not settings.smtp_tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


async def send(settings: IdentitySettings, message: EmailMessage) -> None:
    """Deliver to the SMTP server within SMTP_TIMEOUT_SECONDS; a 5xx refusal raises
    `PermanentMailFailure`, anything else that goes wrong (down, timeout, 4xx) raises as is."""
    url = urlsplit(settings.smtp_url.get_secret_value())
    implicit_tls = url.scheme == "smtps"
    start_tls = {"auto": None, "required": True, "off": False}[settings.smtp_starttls]
    try:
        await aiosmtplib.send(
            message,
            hostname=url.hostname,
            port=url.port or (465 if implicit_tls else 587),
            username=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            use_tls=implicit_tls,
            start_tls=False if implicit_tls else start_tls,
            tls_context=_tls_context(settings),
            timeout=settings.smtp_timeout_seconds,
        )
    except aiosmtplib.SMTPResponseException as exc:
        if exc.code >= 500:
            raise PermanentMailFailure(f"{exc.code} {exc.message}") from exc
        raise
    except aiosmtplib.SMTPRecipientsRefused as exc:
        if all(refused.code >= 500 for refused in exc.recipients):
            raise PermanentMailFailure(str(exc)) from exc
        raise
