"""Personal API tokens: a user's key for scripts, bound to one space with a role no higher than
theirs, stored hashed, revocable at once (the gateway asks about every use; nothing is cached).
Tokens cannot mint tokens: only a signed-in session manages them."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.domain import roles
from identity.domain.credentials import new_token, token_hash
from identity.events import recorder
from identity.handlers import reads
from identity.handlers.reads import enabled_features
from identity.store import api_tokens, memberships, spaces, users
from shelfspace_contracts.identity import Event, ResolvedToken
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.errors import Forbidden, NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

# A recognisable prefix, so that a leaked token is easy to spot (and for secret scanners).
SECRET_PREFIX = "shs_"  # noqa: S105 - a prefix, not a secret
# A use is recorded at most this often per token: not a write per request.
TOUCH_SECONDS = 60
TOKEN_COLUMNS = (
    api_tokens.c.id, api_tokens.c.name, api_tokens.c.space_id, spaces.c.name.label("space_name"), api_tokens.c.role,
    api_tokens.c.created_at, api_tokens.c.expires_at, api_tokens.c.last_used_at,
)  # fmt: skip


def session_only(caller: CallerContext) -> None:
    if caller.token_id is not None:
        raise Forbidden("This needs a signed-in session; an API token cannot do it.", code="session_required")


async def list_tokens(session: AsyncSession, caller: CallerContext) -> list[dict]:
    session_only(caller)
    rows = await session.execute(
        select(*TOKEN_COLUMNS)
        .join(spaces, spaces.c.id == api_tokens.c.space_id)
        .where(api_tokens.c.user_id == caller.user_id)
        .order_by(api_tokens.c.created_at.desc(), api_tokens.c.id)
    )
    return [dict(row) for row in rows.mappings()]


async def create_token(
    session: AsyncSession,
    caller: CallerContext,
    name: str,
    space_id: uuid.UUID,
    role: SpaceRole,
    expires_at: datetime | None,
) -> tuple[dict, str]:
    """A new token and its secret; the secret is returned once and only its hash is kept."""
    session_only(caller)
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise ValidationFailed(details=[{"field": "expires_at", "message": "must be in the future", "type": "past"}])
    secret = SECRET_PREFIX + new_token()
    async with session.begin():
        _, mine = await reads.member_space(session, space_id, caller.user_id)
        if not mine.at_least(role):
            raise ValidationFailed(
                details=[{"field": "role", "message": f"cannot be above your role in this space ({mine})",
                          "type": "too_high"}]
            )  # fmt: skip
        token_id = uuid.uuid4()
        await session.execute(
            insert(api_tokens).values(
                id=token_id, user_id=caller.user_id, space_id=space_id, name=name, role=role,
                token_hash=token_hash(secret), expires_at=expires_at,
            )
        )  # fmt: skip
        await recorder.record(
            session, Event.API_TOKEN_CREATED, caller=caller, space_id=space_id, entity_type="api_token",
            entity_id=token_id, data={"name": name, "role": role, "expires_at": expires_at and expires_at.isoformat()},
        )  # fmt: skip
        row = await reads.first(
            session,
            select(*TOKEN_COLUMNS)
            .join(spaces, spaces.c.id == api_tokens.c.space_id)
            .where(api_tokens.c.id == token_id),
        )
    return dict(row), secret


async def revoke_token(session: AsyncSession, caller: CallerContext, token_id: uuid.UUID) -> None:
    session_only(caller)
    async with session.begin():
        row = await reads.first(
            session,
            delete(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.user_id == caller.user_id)
            .returning(api_tokens.c.space_id, api_tokens.c.name),
        )
        if row is None:
            raise NotFound("No such token.")
        await recorder.record(
            session, Event.API_TOKEN_REVOKED, caller=caller, space_id=row["space_id"], entity_type="api_token",
            entity_id=token_id, data={"name": row["name"]},
        )  # fmt: skip


async def resolve(session: AsyncSession, secret: str) -> ResolvedToken | None:
    """The live token behind a bearer secret, its use recorded; None when unknown, expired, or its
    user is disabled (a deleted user's tokens are deleted with them)."""
    now = datetime.now(UTC)
    async with session.begin():
        row = (
            await session.execute(
                select(
                    api_tokens.c.id,
                    api_tokens.c.user_id,
                    api_tokens.c.space_id,
                    api_tokens.c.role,
                    api_tokens.c.last_used_at,
                    memberships.c.role.label("member_role"),
                )
                .join(users, users.c.id == api_tokens.c.user_id)
                .outerjoin(
                    memberships,
                    and_(
                        memberships.c.space_id == api_tokens.c.space_id, memberships.c.user_id == api_tokens.c.user_id
                    ),
                )
                .where(
                    api_tokens.c.token_hash == token_hash(secret),
                    or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > now),
                    users.c.disabled.is_(False),
                )
            )
        ).first()
        if row is None:
            return None
        if row.last_used_at is None or now - row.last_used_at >= timedelta(seconds=TOUCH_SECONDS):
            await session.execute(update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=now))
        features = await enabled_features(session)
    return ResolvedToken(
        token_id=row.id,
        user_id=row.user_id,
        space_id=row.space_id,
        space_role=roles.token_role(SpaceRole(row.role), row.member_role and SpaceRole(row.member_role)),
        features=features,
    )
