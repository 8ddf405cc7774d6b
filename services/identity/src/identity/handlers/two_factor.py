"""Two-factor sign-in with TOTP (RFC 6238: 6 digits, 30 s steps, one step of clock drift either way).

Enrolment: `setup` seals a fresh secret (AES-GCM, IDENTITY_ENCRYPTION_KEY) and answers its otpauth
URI and QR code (SVG drawn here, never by a third party); `enable` proves the app has it with one
code and answers ten recovery codes, shown once and stored as SHA-256 hashes. After the right
password an enrolled user is only half signed in: the login answers a challenge token (stored
hashed, for TWO_FACTOR_CHALLENGE_SECONDS, no session), and `complete_login` turns it into a
session with a code or a recovery code. Codes spend the same per-account and per-address budget as
passwords, and the time step of an accepted code is recorded so that it cannot be used again.
"""

import dataclasses
import hmac
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import segno
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Identity
from identity.domain.credentials import new_token, token_hash
from identity.events import recorder
from identity.handlers import limits, reads
from identity.handlers.sessions import NewSession, start_session
from identity.store import login_challenges, recovery_codes, two_factor
from shelfspace_contracts.identity import Event
from shelfspace_kernel.errors import AppError, Conflict, Unauthenticated, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext
from shelfspace_kernel.sealing import CannotDecrypt, Keyring, Sealed

STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# The instance setting (instance_settings) that requires two-factor sign-in of admins.
TWO_FACTOR_FOR_ADMINS = "two_factor_for_admins"


class TwoFactorUnavailable(AppError):
    status, code = 503, "two_factor_unavailable"
    message = "Two-factor sign-in needs IDENTITY_ENCRYPTION_KEY to be configured on the server."


def _keyring(identity: Identity) -> Keyring:
    if identity.keyring is None:
        raise TwoFactorUnavailable()
    return identity.keyring


def _associated(user_id: uuid.UUID) -> bytes:
    # Binds a sealed secret to its user: a row copied onto another account does not open.
    return b"identity.two_factor:" + user_id.bytes


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (±DRIFT_STEPS around now) whose code this is; None when none is."""
    code = code.replace(" ", "")
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now // STEP_SECONDS)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Every candidate is compared, so the time taken does not tell which step matched.
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            found = step
    return found


def normalize_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_code() -> str:
    """Ten characters in two groups (50 bits), e.g. `7f3a9-c02be`: easy to type, never guessed
    within the attempt limits."""
    raw = secrets.token_hex(5)
    return f"{raw[:5]}-{raw[5:]}"


async def _row(session: AsyncSession, user_id: uuid.UUID):
    return (await session.execute(select(two_factor).where(two_factor.c.user_id == user_id))).mappings().first()


async def is_enabled(session: AsyncSession, user_id: uuid.UUID) -> bool:
    row = await _row(session, user_id)
    return row is not None and row["enabled_at"] is not None


async def admin_required(session: AsyncSession, user) -> bool:
    """The instance requires two-factor sign-in of admins, and this admin has none yet."""
    if user["role"] != "admin" or await reads.setting(session, TWO_FACTOR_FOR_ADMINS) is not True:
        return False
    return not await is_enabled(session, user["id"])


async def state_of(session: AsyncSession, user) -> dict:
    return {"enabled": await is_enabled(session, user["id"]), "required": await admin_required(session, user)}


async def setup(session: AsyncSession, identity: Identity, caller: CallerContext) -> dict:
    """A new secret waiting for its first code; replaces an earlier unfinished set-up."""
    keyring = _keyring(identity)
    user = await reads.user_by_id(session, caller.user_id)
    await session.rollback()
    secret = pyotp.random_base32(32)
    sealed = keyring.seal(secret, _associated(user["id"]))
    values = {"secret_ciphertext": sealed.ciphertext, "secret_nonce": sealed.nonce, "secret_key_id": sealed.key_id}
    async with session.begin():
        if await is_enabled(session, user["id"]):
            raise Conflict("Two-factor sign-in is already on; turn it off first.", code="two_factor_enabled")
        await session.execute(
            pg_insert(two_factor)
            .values(user_id=user["id"], **values)
            .on_conflict_do_update(index_elements=[two_factor.c.user_id], set_={**values, "last_step": None})
        )
    uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=user["email"], issuer_name=identity.settings.two_factor_issuer
    )
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, border=2, title="Two-factor set-up code")
    return {"otpauth_uri": uri, "qr_svg": qr_svg}


def _secret(identity: Identity, row) -> str:
    sealed = Sealed(bytes(row["secret_ciphertext"]), bytes(row["secret_nonce"]), row["secret_key_id"])
    try:
        return _keyring(identity).open(sealed, _associated(row["user_id"]))
    except CannotDecrypt as exc:
        raise TwoFactorUnavailable(
            "The two-factor secret does not open with the configured IDENTITY_ENCRYPTION_KEY."
        ) from exc


def _bad_code(field: str = "code") -> ValidationFailed:
    return ValidationFailed(
        details=[{"field": field, "message": "is not right (or was already used)", "type": "invalid"}]
    )


async def enable(session: AsyncSession, identity: Identity, caller: CallerContext, code: str) -> list[str]:
    user = await reads.user_by_id(session, caller.user_id)
    row = await _row(session, user["id"])
    await session.rollback()
    if row is None:
        raise Conflict("Start the set-up first.", code="two_factor_not_set_up")
    if row["enabled_at"] is not None:
        raise Conflict("Two-factor sign-in is already on.", code="two_factor_enabled")
    secret = _secret(identity, row)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    async with limits.attempt(session, identity.settings, limits.password_guess_keys(user["email"], caller.client_ip)):
        step = matching_step(secret, code, time.time())
        if step is None:
            raise _bad_code()
        async with session.begin():
            enabled = await session.execute(
                update(two_factor)
                .where(two_factor.c.user_id == user["id"], two_factor.c.enabled_at.is_(None))
                .where(two_factor.c.secret_nonce == row["secret_nonce"])
                .values(enabled_at=datetime.now(UTC), last_step=step)
            )
            if enabled.rowcount != 1:
                raise Conflict("The set-up changed meanwhile; start it again.", code="two_factor_not_set_up")
            await session.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user["id"]))
            await session.execute(
                insert(recovery_codes),
                [
                    {"id": uuid.uuid4(), "user_id": user["id"], "code_hash": token_hash(normalize_recovery_code(c))}
                    for c in codes
                ],
            )
            await recorder.record(
                session, Event.TWO_FACTOR_ENABLED, caller=caller, entity_type="user", entity_id=user["id"],
                data={"email": user["email"]},
            )  # fmt: skip
    return codes


async def _forget(session: AsyncSession, user_id: uuid.UUID) -> bool:
    removed = await session.execute(delete(two_factor).where(two_factor.c.user_id == user_id))
    await session.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))
    await session.execute(delete(login_challenges).where(login_challenges.c.user_id == user_id))
    return removed.rowcount > 0


async def disable(session: AsyncSession, identity: Identity, caller: CallerContext, current_password: str) -> None:
    from identity.handlers.auth import check_current_password

    user = await reads.user_by_id(session, caller.user_id)
    await session.rollback()
    await check_current_password(session, identity, caller, user, current_password)
    async with session.begin():
        if await _forget(session, user["id"]):
            await recorder.record(
                session, Event.TWO_FACTOR_DISABLED, caller=caller, entity_type="user", entity_id=user["id"],
                data={"email": user["email"], "by": "self"},
            )  # fmt: skip


async def admin_reset(session: AsyncSession, caller: CallerContext, user_id: uuid.UUID) -> None:
    """An instance admin turns a user's two-factor sign-in off (a lost phone and lost codes)."""
    user = await reads.user_by_id(session, user_id)
    await session.rollback()
    async with session.begin():
        if await _forget(session, user_id):
            await recorder.record(
                session, Event.TWO_FACTOR_DISABLED, caller=caller, entity_type="user", entity_id=user_id,
                data={"email": user["email"], "by": "admin"},
            )  # fmt: skip


async def start_challenge(session: AsyncSession, identity: Identity, user_id: uuid.UUID) -> tuple[str, datetime]:
    """The half-signed-in state after a right password (inside the login's transaction)."""
    token = new_token()
    expires_at = datetime.now(UTC) + timedelta(seconds=identity.settings.two_factor_challenge_seconds)
    await session.execute(
        insert(login_challenges).values(
            id=uuid.uuid4(), user_id=user_id, token_hash=token_hash(token), expires_at=expires_at
        )
    )
    return token, expires_at


def _challenge_gone() -> Unauthenticated:
    return Unauthenticated("This sign-in has expired; enter your password again.", code="two_factor_challenge_invalid")


async def complete_login(
    session: AsyncSession, identity: Identity, caller: CallerContext, challenge: str,
    code: str | None, recovery_code: str | None,
) -> tuple[dict, NewSession]:  # fmt: skip
    hashed = token_hash(challenge)
    async with session.begin():
        pending = (
            await session.execute(
                select(login_challenges.c.user_id)
                .where(login_challenges.c.token_hash == hashed)
                .where(login_challenges.c.expires_at > datetime.now(UTC))
            )
        ).first()
        if pending is None:
            raise _challenge_gone()
        user = await reads.user_by_id(session, pending.user_id)
        row = await _row(session, user["id"])
    if user["disabled"] or row is None or row["enabled_at"] is None:
        raise _challenge_gone()
    secret = _secret(identity, row) if code is not None else None
    keys = limits.password_guess_keys(user["email"], caller.client_ip)
    async with limits.attempt(session, identity.settings, keys), session.begin():
        # Single use: of two racing completions, one deletes the challenge and the other finds none.
        taken = await session.execute(delete(login_challenges).where(login_challenges.c.token_hash == hashed))
        if taken.rowcount != 1:
            raise _challenge_gone()
        if secret is not None:
            used = await _use_code(session, user["id"], secret, code or "")
        else:
            used = await _use_recovery_code(session, user["id"], recovery_code or "")
        if not used:
            raise _bad_code("code" if secret is not None else "recovery_code")
        created = await start_session(session, identity.settings, user["id"], None)
        await recorder.record(
            session, Event.USER_LOGGED_IN, caller=dataclasses.replace(caller, user_id=user["id"]),
            entity_type="user", entity_id=user["id"],
            data={"session_id": str(created.id), "second_factor": "totp" if secret else "recovery_code"},
        )  # fmt: skip
    return {key: user[key] for key in ("id", "email", "name", "role")}, created


async def _use_code(session: AsyncSession, user_id: uuid.UUID, secret: str, code: str) -> bool:
    step = matching_step(secret, code, time.time())
    if step is None:
        return False
    # Only a step later than the last accepted one: a code seen over a shoulder cannot be replayed.
    accepted = await session.execute(
        update(two_factor)
        .where(two_factor.c.user_id == user_id)
        .where(or_(two_factor.c.last_step.is_(None), two_factor.c.last_step < step))
        .values(last_step=step)
    )
    return accepted.rowcount == 1


async def _use_recovery_code(session: AsyncSession, user_id: uuid.UUID, code: str) -> bool:
    used = await session.execute(
        update(recovery_codes)
        .where(recovery_codes.c.user_id == user_id, recovery_codes.c.used_at.is_(None))
        .where(recovery_codes.c.code_hash == token_hash(normalize_recovery_code(code)))
        .values(used_at=datetime.now(UTC))
    )
    return used.rowcount == 1


async def remaining_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> int:
    rows = await session.scalars(
        select(recovery_codes.c.id).where(recovery_codes.c.user_id == user_id, recovery_codes.c.used_at.is_(None))
    )
    return len(rows.all())


async def purge_expired_challenges(session: AsyncSession) -> None:
    await session.execute(delete(login_challenges).where(login_challenges.c.expires_at < datetime.now(UTC)))
