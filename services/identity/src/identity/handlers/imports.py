"""Users and spaces brought over from collectZ (sync's import job): matched by email and by the
space's stable id, so a second run changes nothing. Passwords stay the other app's bcrypt hashes
until their owner signs in (see `Passwords.needs_rehash`)."""

import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from identity.domain.credentials import is_bcrypt, normalize_email
from identity.events import recorder
from identity.handlers.spaces import add_member
from identity.store import memberships, spaces, users
from shelfspace_contracts.collectz import (
    ImportedSpace,
    ImportedUser,
    SpaceImport,
    SpaceImportResult,
    SpaceOutcome,
    UserImport,
    UserImportResult,
    UserOutcome,
)
from shelfspace_contracts.identity import Event
from shelfspace_contracts.roles import GlobalRole, SpaceRole
from shelfspace_kernel.errors import Forbidden
from shelfspace_kernel.internal_auth import CallerContext

# Stored when the source had no usable hash: it never verifies, so the account needs a reset link.
UNUSABLE_HASH = "!imported-without-password"


async def check_importer(session: AsyncSession, caller: CallerContext) -> None:
    """Only sync, acting for a global admin who still is one, brings accounts in."""
    if caller.caller != "sync" or caller.user_id is None:
        raise Forbidden("Only the import job brings accounts in.")
    role = await session.scalar(select(users.c.role).where(users.c.id == caller.user_id, users.c.disabled.is_(False)))
    if role != GlobalRole.ADMIN:
        raise Forbidden("Only an instance administrator can import accounts.")


async def _each(
    session: AsyncSession,
    caller: CallerContext,
    items: list[Any],
    one: Callable[[AsyncSession, CallerContext, Any, bool], Awaitable[Any]],
    dry_run: bool,
) -> list[Any]:
    """Every item through `one`, in one transaction that first checks the importer."""
    async with session.begin():
        await check_importer(session, caller)
        return [await one(session, caller, item, dry_run) for item in items]


async def import_users(session: AsyncSession, caller: CallerContext, body: UserImport) -> UserImportResult:
    return UserImportResult(results=await _each(session, caller, body.users, _import_user, body.dry_run))


async def _import_user(session: AsyncSession, caller: CallerContext, user: ImportedUser, dry_run: bool) -> UserOutcome:
    email = normalize_email(user.email)
    if "@" not in email:
        return UserOutcome(email=email, outcome="failed", reason="Not an email address.")
    existing = await session.scalar(select(users.c.id).where(users.c.email == email))
    if existing is not None:
        return UserOutcome(
            email=email, user_id=existing, outcome="unchanged", reason="An account with this email exists."
        )
    if dry_run:
        return UserOutcome(email=email, outcome="created")
    password_hash = user.password_hash if is_bcrypt(user.password_hash) else UNUSABLE_HASH
    user_id = uuid.uuid4()
    inserted = await session.execute(
        pg_insert(users)
        .values(id=user_id, email=email, name=user.name, password_hash=password_hash, role=user.role)
        .on_conflict_do_nothing(index_elements=[users.c.email])
        .returning(users.c.id)
    )
    if inserted.scalar() is None:  # registered between the lookup and the insert
        existing = await session.scalar(select(users.c.id).where(users.c.email == email))
        return UserOutcome(email=email, user_id=existing, outcome="unchanged")
    await recorder.record(
        session, Event.USER_REGISTERED, caller=caller, entity_type="user", entity_id=user_id,
        data={"email": email, "name": user.name, "role": user.role, "via": "collectz_import"},
    )  # fmt: skip
    return UserOutcome(email=email, user_id=user_id, outcome="created")


async def import_spaces(session: AsyncSession, caller: CallerContext, body: SpaceImport) -> SpaceImportResult:
    return SpaceImportResult(results=await _each(session, caller, body.spaces, _import_space, body.dry_run))


async def _import_space(
    session: AsyncSession, caller: CallerContext, space: ImportedSpace, dry_run: bool
) -> SpaceOutcome:
    exists = await session.scalar(select(spaces.c.id).where(spaces.c.id == space.id))
    if exists is None and space.existing_only:
        return SpaceOutcome(id=space.id, outcome="failed", reason="There is no space with this id.")
    emails = {normalize_email(member.email): member.role for member in space.members}
    known = dict(
        (await session.execute(select(users.c.email, users.c.id).where(users.c.email.in_(list(emails))))).all()
    )
    current = set()
    if exists is not None:
        current = set(
            (await session.scalars(select(memberships.c.user_id).where(memberships.c.space_id == space.id))).all()
        )
    missing = [email for email in emails if known.get(email) not in current]
    owner = next((known[email] for email, role in emails.items() if role == "owner" and email in known), None)
    # A new space none of whose owners came over belongs to the admin who imported it, never to nobody.
    # (In a dry run the accounts it would create count as known.)
    owned = owner is not None or (dry_run and SpaceRole.OWNER in emails.values())
    orphan = exists is None and not owned and caller.user_id not in known.values()
    if dry_run:
        planned = len(missing) + orphan
        return SpaceOutcome(id=space.id, outcome=_outcome(exists, planned), memberships_added=planned)
    if exists is None:
        await session.execute(insert(spaces).values(id=space.id, name=space.name, created_by=owner))
        await recorder.record(
            session, Event.SPACE_CREATED, caller=caller, space_id=space.id, entity_type="space",
            entity_id=space.id, data={"name": space.name, "via": "collectz_import"},
        )  # fmt: skip
    added = 0
    for email in missing:
        if email not in known:
            continue
        actor = dataclasses.replace(caller, space_id=space.id)
        await add_member(session, actor, space.id, known[email], emails[email])
        added += 1
    if orphan:
        actor = dataclasses.replace(caller, space_id=space.id)
        await add_member(session, actor, space.id, caller.user_id, SpaceRole.OWNER)
        added += 1
    return SpaceOutcome(id=space.id, outcome=_outcome(exists, added), memberships_added=added)


def _outcome(exists: uuid.UUID | None, added: int) -> str:
    if exists is None:
        return "created"
    return "updated" if added else "unchanged"
