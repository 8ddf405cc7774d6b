"""The steps of a collectZ move (provider `collectz`, kind `import`, in the instance's scope).

Step 0 reads the source's shape, brings its users (identity, by email) and its libraries or spaces
(identity, by a stable id) over and counts what follows; then one step per page of media rows (library
records, per target space); then one step for the provider settings (integrations). A dry run asks
the same services what they would do and writes nothing.
"""

import uuid
from collections import defaultdict
from typing import Any

import asyncpg
from pydantic import ValidationError

from shelfspace_contracts.collectz import (
    INTEGRATIONS_PATH,
    MAX_BATCH,
    SPACES_PATH,
    USERS_PATH,
    ImportedMember,
    ImportedSpace,
    ImportedUser,
    IntegrationImport,
    IntegrationImportResult,
    SpaceImport,
    SpaceImportResult,
    UserImport,
    UserImportResult,
)
from shelfspace_contracts.exports import ExportedAnnotation, ExportedTitle, RecordBatch, records_fingerprint
from shelfspace_contracts.sync import MediaMatchCandidate
from shelfspace_kernel.internal_auth import CallerContext
from sync import SERVICE
from sync.collectz import mapping, settings_map, source
from sync.collectz.secrets import CannotOpen, open_params
from sync.domain.jobs import Tally, tally_outcomes
from sync.outcome import StepOutcome
from sync.upstream import Upstream, UpstreamError

BUCKET_OF_ACCOUNT = {"created": "created", "updated": "updated", "unchanged": "skipped", "failed": "failed"}


def context(job: Any, space_id: uuid.UUID | None = None) -> CallerContext:
    """The job's creator (a global admin) acting through sync, in a target space when one is named."""
    return CallerContext(
        request_id=job.request_id or uuid.uuid4().hex,
        caller=SERVICE,
        user_id=job.created_by,
        global_role="admin",
        space_id=space_id or mapping.INSTANCE_SCOPE,
        space_role="admin",
    )


def opened(job: Any, upstream: Upstream) -> dict[str, Any]:
    try:
        return open_params(upstream.params_key, uuid.UUID(job.params["seal_id"]), job.params.get("sealed"))
    except (CannotOpen, KeyError, ValueError) as exc:
        raise UpstreamError(f"{exc} Start the collectZ import again.") from exc


def new_report(schema: source.Schema) -> dict[str, Any]:
    buckets = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
    return {
        "generation": schema.generation,
        "schema_version": schema.version,
        "users": dict(buckets),
        "spaces": dict(buckets),
        "memberships": {"created": 0},
        "titles": {**buckets, "not_imported": 0},
        "copies": {"created": 0},
        "ratings": {"created": 0, "without_owner": 0},
        "integrations": {**buckets, "skipped": 0},
    }


def _count(tally: Tally, report: dict[str, int], outcome: str, item: str, reason: str | None) -> None:
    tally.add(BUCKET_OF_ACCOUNT[outcome])
    report[outcome] = report.get(outcome, 0) + 1
    if outcome == "failed":
        tally.errors.append({"item": item, "reason": reason or "It could not be brought over."})


async def plan_collectz(job: Any, upstream: Upstream) -> StepOutcome:
    """Step 0: the source's generation, its users and spaces brought over, and what follows counted."""
    secrets = opened(job, upstream)
    async with source.connect(secrets["database_url"]) as conn:
        schema = await source.detect(conn)
        people = [dict(row) for row in await source.users(conn)]
        groups = await source.groups(conn, schema)
        media_total = await source.count_media(conn)
        setting_rows = await source.integration_rows(conn, schema)
    target = job.params.get("space_id")
    if target and len(groups) != 1:
        raise UpstreamError(
            f"space_id takes a collectZ with a single library; this one ({schema.generation}) holds {len(groups)} "
            "libraries or spaces: import without space_id to bring each over as its own space."
        )
    space_of = {group["key"]: target or str(mapping.stable_id(schema.instance, group["key"])) for group in groups}
    report, tally = new_report(schema), Tally()
    user_ids = await _bring_users(job, upstream, people, tally, report)
    members = await _bring_spaces(job, upstream, schema, people, groups, space_of, user_ids, tally, report)
    settings = settings_map.candidates(setting_rows, schema.generation, space_of)
    plan = {
        "instance": schema.instance,
        "ratings_out_of": schema.ratings_out_of,
        "users": user_ids,
        "spaces": space_of,
        "members": members,
        "settings": settings,
        "report": report,
    }
    total = len(people) + len(groups) + media_total + len(settings)
    cursor = {"phase": "media", "after": 0} if media_total else {"phase": "settings"}
    processed = len(people) + len(groups)
    return StepOutcome(tally=tally, processed=processed, cursor=cursor, plan=plan, total=total, done=processed == total)


async def _bring_users(job: Any, upstream: Upstream, people: list[dict], tally: Tally, report: dict) -> dict[str, str]:
    """collectZ user id → our user id, for the users that exist (or were created) here."""
    ids: dict[str, str] = {}
    valid = []
    for person in people:
        try:
            valid.append((person, _user(person)))
        except ValidationError:
            _count(tally, report["users"], "failed", str(person.get("email")), "Its email or name does not fit here.")
    for first in range(0, len(valid), MAX_BATCH):
        chunk = valid[first : first + MAX_BATCH]
        body = UserImport(users=[user for _, user in chunk], dry_run=job.params.get("dry_run", False))
        answer = await upstream.exchange(upstream.identity, USERS_PATH, context(job), body, UserImportResult)
        for (person, user), outcome in zip(chunk, answer.results, strict=True):
            _count(tally, report["users"], outcome.outcome, user.email, outcome.reason)
            if outcome.user_id is not None:
                ids[str(person["id"])] = str(outcome.user_id)
    return ids


def _user(person: dict) -> ImportedUser:
    email = (person.get("email") or "").strip()
    name = (person.get("name") or "").strip()[:100] or email.split("@")[0][:100] or "collectZ user"
    password = person.get("password") or None
    role = mapping.global_role(person.get("role"))
    return ImportedUser(email=email, name=name, role=role, password_hash=password)


async def _bring_spaces(
    job: Any, upstream: Upstream, schema: source.Schema, people: list[dict], groups: list[dict],
    space_of: dict[str, str], user_ids: dict[str, str], tally: Tally, report: dict,
) -> dict[str, list[str]]:  # fmt: skip
    """Spaces with their members brought over; our space id → the user ids of its members."""
    email_of = {person["id"]: person["email"] for person in people}
    first_admin = min((person["id"] for person in people if person.get("role") == "admin"), default=None)
    spaces, members = [], {}
    for group in groups:
        if schema.generation == "1.x":
            roles = {
                person["id"]: mapping.single_library_role(person.get("role"), person["id"] == first_admin)
                for person in people
            }
        else:
            roles = {member["user_id"]: mapping.membership_role(member["role"]) for member in group["members"]}
        space_id = space_of[group["key"]]
        people_in = [ImportedMember(email=email_of[uid], role=role) for uid, role in roles.items() if uid in email_of]
        members[space_id] = [user_ids[str(uid)] for uid in roles if str(uid) in user_ids]
        name = (group.get("name") or "collectZ library").strip()[:100] or "collectZ library"
        spaces.append(
            ImportedSpace(id=space_id, name=name, existing_only=bool(job.params.get("space_id")), members=people_in)
        )
    body = SpaceImport(spaces=spaces, dry_run=job.params.get("dry_run", False))
    answer = await upstream.exchange(upstream.identity, SPACES_PATH, context(job), body, SpaceImportResult)
    for space, outcome in zip(spaces, answer.results, strict=True):
        if job.params.get("space_id") and outcome.outcome == "failed":
            raise UpstreamError("There is no space with the id given in space_id: choose an existing space.")
        _count(tally, report["spaces"], outcome.outcome, space.name, outcome.reason)
        report["memberships"]["created"] += outcome.memberships_added
    return members


async def import_media_page(job: Any, upstream: Upstream, batch_size: int) -> StepOutcome:
    """One page of collectZ media rows, sent to each target space's library as one record batch."""
    secrets = opened(job, upstream)
    plan = dict(job.plan)
    async with source.connect(secrets["database_url"]) as conn:
        schema = await source.detect(conn)
        rows = await source.media_page(conn, schema, job.cursor["after"], batch_size)
    tally, report = Tally(), plan["report"]
    by_space: dict[str, list[ExportedTitle]] = defaultdict(list)
    labels: dict[str, str] = {}
    for row in rows:
        record = _record(row, plan, tally, report)
        if record is not None:
            by_space[plan["spaces"][row["group_key"]]].append(record)
            labels[str(record.id)] = mapping.label(row)
    for space_id, records in by_space.items():
        if job.params.get("dry_run"):
            await _foresee(job, upstream, uuid.UUID(space_id), records, tally, report)
        else:
            await _send(job, upstream, uuid.UUID(space_id), records, plan, labels, tally, report)
    more = len(rows) == batch_size
    cursor = {"phase": "media", "after": rows[-1]["id"]} if more else {"phase": "settings"}
    done = not more and not plan["settings"]
    return StepOutcome(tally=tally, processed=len(rows), cursor=cursor, plan=plan, done=done)


def _record(row: dict, plan: dict, tally: Tally, report: dict) -> ExportedTitle | None:
    """The row as a title record, or None when it is counted as skipped or failed here."""
    if reason := mapping.not_imported(row):
        tally.add("skipped")
        tally.errors.append({"item": mapping.label(row), "reason": reason})
        report["titles"]["not_imported"] += 1
        return None
    if plan["spaces"].get(row["group_key"]) is None:
        tally.add("failed")
        tally.errors.append(
            {"item": mapping.label(row), "reason": "It belongs to an archived or deleted collectZ library or space."}
        )
        report["titles"]["failed"] += 1
        return None
    annotations = []
    score = mapping.rating(row.get("user_rating"), plan["ratings_out_of"])
    owner = plan["users"].get(str(row.get("added_by")))
    if score is not None and owner is not None:
        annotations.append(ExportedAnnotation(user_id=owner, rating=score, visibility="shared"))
    elif score is not None:
        report["ratings"]["without_owner"] += 1
    try:
        return ExportedTitle(**mapping.title_fields(row, plan["instance"]), annotations=annotations)
    except ValidationError as exc:
        fields = ", ".join(sorted({".".join(str(part) for part in error["loc"]) for error in exc.errors()}))
        tally.add("failed")
        tally.errors.append({"item": mapping.label(row), "reason": f"collectZ's value does not fit here: {fields}."})
        report["titles"]["failed"] += 1
        return None


async def _send(
    job: Any, upstream: Upstream, space_id: uuid.UUID, records: list[ExportedTitle], plan: dict,
    labels: dict[str, str], tally: Tally, report: dict,
) -> None:  # fmt: skip
    key = f"{job.id}:{job.step}:{space_id}:{records_fingerprint(records)[:16]}"
    members = [uuid.UUID(user_id) for user_id in plan["members"].get(str(space_id), [])]
    batch = RecordBatch(records=records, batch_key=key, member_ids=members)
    result = await upstream.import_records(context(job, space_id), batch)
    counted, outcomes = tally_outcomes({str(record.id): labels[str(record.id)] for record in records}, result)
    tally.absorb(counted)
    for record in records:
        outcome = outcomes[str(record.id)]
        report["titles"][outcome] += 1
        if outcome == "created":
            report["copies"]["created"] += len(record.copies)
            report["ratings"]["created"] += len(record.annotations)


async def _foresee(
    job: Any, upstream: Upstream, space_id: uuid.UUID, records: list[ExportedTitle], tally: Tally, report: dict
) -> None:
    """A dry run: titles the space already holds would only have their gaps filled (counted as skipped)."""
    candidates = [
        MediaMatchCandidate(
            key=str(record.id),
            title=record.title,
            media_type=record.media_type,
            year=record.year,
            tmdb_id=record.identities.tmdb_id,
            imdb_id=record.identities.imdb_id,
        )
        for record in records
    ]
    owned = await upstream.owned(context(job, space_id), candidates) or {}
    for record in records:
        if str(record.id) in owned:
            tally.add("skipped")
            report["titles"]["unchanged"] += 1
        else:
            tally.add("created")
            report["titles"]["created"] += 1
            report["copies"]["created"] += len(record.copies)
            report["ratings"]["created"] += len(record.annotations)


async def import_settings(job: Any, upstream: Upstream) -> StepOutcome:
    """The last step: collectZ's provider settings, secrets re-sealed by integrations under our key."""
    plan = dict(job.plan)
    candidates = plan["settings"]
    tally, report = Tally(), plan["report"]["integrations"]
    secrets = opened(job, upstream)
    key = secrets.get("collectz_encryption_key")
    async with source.connect(secrets["database_url"]) as conn:
        schema = await source.detect(conn)
        rows = {row["id"]: row for row in await source.integration_rows(conn, schema)}
    settings, items = [], []
    for candidate in candidates:
        item = f"{candidate['provider']} settings"
        try:
            setting, reason = settings_map.setting(candidate, rows.get(candidate["row_id"]), key)
        except CannotOpen as exc:
            _count(tally, report, "failed", item, f"The collectZ secret {exc}.")
            continue
        if setting is None:
            tally.add("skipped")
            tally.errors.append({"item": item, "reason": reason})
            report["skipped"] += 1
            continue
        settings.append(setting)
        items.append(item)
    if settings:
        body = IntegrationImport(settings=settings, dry_run=job.params.get("dry_run", False))
        answer = await upstream.exchange(
            upstream.integrations, INTEGRATIONS_PATH, context(job), body, IntegrationImportResult
        )
        for item, outcome in zip(items, answer.results, strict=True):
            _count(tally, report, outcome.outcome, item, outcome.reason)
    return StepOutcome(tally=tally, processed=len(candidates), cursor=None, plan=plan, done=True)


async def run_collectz_step(job: Any, upstream: Upstream, batch_size: int) -> StepOutcome:
    try:
        if job.plan is None:
            return await plan_collectz(job, upstream)
        if job.cursor["phase"] == "media":
            return await import_media_page(job, upstream, batch_size)
        return await import_settings(job, upstream)
    except source.SourceError as exc:
        raise UpstreamError(str(exc), transient=exc.transient) from exc
    except (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError) as exc:
        raise UpstreamError("The connection to collectZ's database was lost; retrying.", transient=True) from exc
    except asyncpg.PostgresError as exc:
        raise UpstreamError(
            f"Reading collectZ's database failed (SQLSTATE {exc.sqlstate}): check that the URL's user may read "
            "every table of the collectZ schema."
        ) from exc
