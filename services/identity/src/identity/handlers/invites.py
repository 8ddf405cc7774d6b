"""Invites: per space, with a role and an expiry, single use, revocable; tokens stored hashed."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, exists, false, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.domain import roles
from identity.domain.credentials import new_token, token_hash
from identity.events import recorder
from identity.handlers import limits, reads
from identity.handlers.sessions import set_active_space
from identity.handlers.spaces import add_member
from identity.settings import IdentitySettings
from identity.store import invites, users
from shelfspace_contracts.identity import Event
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.errors import Conflict, Forbidden, NotFound
from shelfspace_kernel.internal_auth import CallerContext

INVITE_COLUMNS = [c for c in invites.c if c.name != "token_hash"]


def invite_state(row) -> str:
    if row["used_at"] is not None:
        return "used"
    if row["revoked_at"] is not None:
        return "revoked"
    if row["expires_at"] <= datetime.now(UTC):
        return "expired"
    return "pending"


def invite_view(row) -> dict:
    return {**row, "state": invite_state(row)}


async def create_invite(
    session: AsyncSession,
    settings: IdentitySettings,
    caller: CallerContext,
    space_id: uuid.UUID,
    email: str,
    role: SpaceRole,
    expires_in_hours: int | None,
) -> tuple[dict, str]:
    """A new invite and its token; the token is returned once and only its hash is kept."""
    token = new_token()
    lifetime = (
        timedelta(hours=expires_in_hours) if expires_in_hours else timedelta(seconds=settings.invite_lifetime_seconds)
    )
    async with session.begin():
        _, actor = await reads.member_space(session, space_id, caller.user_id)
        roles.check_can_grant(actor, role)
        values = {
            "id": uuid.uuid4(), "space_id": space_id, "email": email, "role": role, "token_hash": token_hash(token),
            "expires_at": datetime.now(UTC) + lifetime, "created_by": caller.user_id,
        }  # fmt: skip
        row = await reads.first(session, insert(invites).values(**values).returning(*INVITE_COLUMNS))
        await recorder.record(
            session, Event.INVITE_CREATED, caller=caller, space_id=space_id, entity_type="invite", entity_id=row["id"],
            data={"email": email, "role": role, "expires_at": row["expires_at"].isoformat()},
        )  # fmt: skip
    return invite_view(row), token


async def list_invites(session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, *, everything: bool) -> list:
    _, actor = await reads.member_space(session, space_id, caller.user_id)
    if not actor.at_least(SpaceRole.ADMIN):
        raise Forbidden()
    query = select(*INVITE_COLUMNS).where(invites.c.space_id == space_id)
    if not everything:
        query = query.where(_pending())
    rows = await session.execute(query.order_by(invites.c.created_at.desc(), invites.c.id))
    return [invite_view(row) for row in rows.mappings()]


def _pending():
    return and_(invites.c.used_at.is_(None), invites.c.revoked_at.is_(None), invites.c.expires_at > func.now())


async def revoke_invite(
    session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, invite_id: uuid.UUID
) -> dict:
    async with session.begin():
        _, actor = await reads.member_space(session, space_id, caller.user_id)
        if not actor.at_least(SpaceRole.ADMIN):
            raise Forbidden()
        row = await reads.first(
            session,
            select(*INVITE_COLUMNS).where(invites.c.id == invite_id, invites.c.space_id == space_id).with_for_update(),
        )
        if row is None:
            raise NotFound("No such invite.")
        if row["used_at"] is not None:
            raise Conflict("This invite was already used.", code="invite_used")
        if row["revoked_at"] is None:
            revoke = update(invites).where(invites.c.id == invite_id).values(revoked_at=func.now())
            row = await reads.first(session, revoke.returning(*INVITE_COLUMNS))
            await recorder.record(
                session, Event.INVITE_REVOKED, caller=caller, space_id=space_id, entity_type="invite",
                entity_id=invite_id, data={"email": row["email"], "role": row["role"]},
            )  # fmt: skip
    return invite_view(row)


def _email_changed_since_invited(user_id: uuid.UUID):
    # Emails are not verified, so taking on the invited address after the invite was made proves
    # nothing: the invite is for the account that held the address then, or a new one.
    return exists().where(users.c.id == user_id, users.c.email_changed_at >= invites.c.created_at)


async def claim_invite(session: AsyncSession, caller: CallerContext, token: str, user_id: uuid.UUID, email: str):
    """Atomically use an invite for this user, inside the caller's transaction: of two racing
    claims, the first update wins and the second finds the invite used (409)."""
    claimed = await reads.first(
        session,
        update(invites)
        .where(
            invites.c.token_hash == token_hash(token),
            _pending(),
            invites.c.email == email,
            ~_email_changed_since_invited(user_id),
        )
        .values(used_at=func.now(), used_by=user_id)
        .returning(invites.c.id, invites.c.space_id, invites.c.role),
    )
    if claimed is None:
        await _explain_unclaimable(session, token, email, user_id)
    role = SpaceRole(claimed["role"])
    if await reads.role_in_space(session, claimed["space_id"], user_id) is not None:
        raise Conflict("You are already a member of this space.", code="already_member")
    await add_member(session, caller, claimed["space_id"], user_id, role)
    await recorder.record(
        session, Event.INVITE_CLAIMED, caller=caller, space_id=claimed["space_id"], entity_type="invite",
        entity_id=claimed["id"], data={"user_id": str(user_id), "role": role},
    )  # fmt: skip
    return claimed["space_id"], role


async def check_claimable(session: AsyncSession, token: str, email: str) -> None:
    """Raise what `claim_invite` would for a new account if the invite cannot be used now: a cheap
    check before any hashing."""
    query = select(invites.c.id).where(invites.c.token_hash == token_hash(token), _pending(), invites.c.email == email)
    if await session.scalar(query) is None:
        await _explain_unclaimable(session, token, email)


async def _explain_unclaimable(session: AsyncSession, token: str, email: str, user_id: uuid.UUID | None = None):
    # A new account (no user id yet) cannot have changed its email.
    changed = _email_changed_since_invited(user_id) if user_id else false()
    row = await reads.first(
        session,
        select(*INVITE_COLUMNS, changed.label("email_changed")).where(invites.c.token_hash == token_hash(token)),
    )
    if row is None:
        raise NotFound("This invite does not exist.", code="invite_not_found")
    state = invite_state(row)
    if state != "pending":
        raise Conflict(f"This invite is {state}.", code=f"invite_{state}")
    if row["email"] != email:
        raise Forbidden("This invite was sent to another email address.", code="invite_email_mismatch")
    if row["email_changed"]:
        raise Forbidden(
            "Your email address changed after this invite was sent; ask for a new invite.",
            code="invite_email_changed",
        )
    raise Conflict("This invite cannot be used.", code="invite_unusable")


async def accept_invite(session: AsyncSession, settings: IdentitySettings, caller: CallerContext, token: str) -> dict:
    """An existing user joins the invite's space, which becomes their session's active space."""
    async with limits.attempt(session, settings, limits.claim_keys(caller.client_ip)), session.begin():
        user = await reads.user_by_id(session, caller.user_id)
        space_id, role = await claim_invite(session, caller, token, caller.user_id, user["email"])
        if caller.session_id is not None:
            await set_active_space(session, caller.session_id, space_id)
        space, _ = await reads.member_space(session, space_id, caller.user_id)
    return {"id": space_id, "name": space["name"], "role": role}
