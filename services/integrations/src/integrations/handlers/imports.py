"""Provider settings brought over from collectZ (sync's import job), with secrets sealed under our key.

A provider a space has already set up (a secret, or any non-default setting) is left as it is, so a
second run, or a run after an admin edited the settings, changes nothing.
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.crypto import Keyring
from integrations.domain.providers import CONFIG_MODELS
from integrations.handlers.settings import write_update
from integrations.store import provider_settings
from shelfspace_contracts.collectz import ImportedSetting, IntegrationImport, IntegrationImportResult, SettingOutcome
from shelfspace_contracts.roles import GlobalRole
from shelfspace_kernel.errors import AppError, Forbidden
from shelfspace_kernel.internal_auth import CallerContext


def check_importer(caller: CallerContext) -> None:
    if caller.caller != "sync" or caller.user_id is None or caller.global_role != GlobalRole.ADMIN:
        raise Forbidden("Only the import job, for an instance administrator, brings settings in.")


async def import_settings(
    session: AsyncSession, keyring: Keyring, caller: CallerContext, body: IntegrationImport
) -> IntegrationImportResult:
    check_importer(caller)
    results = []
    for setting in body.settings:
        results.append(await _import_setting(session, keyring, caller, setting, body.dry_run))
    await session.commit()
    return IntegrationImportResult(results=results)


async def _already_set_up(session: AsyncSession, setting: ImportedSetting) -> bool:
    row = (
        await session.execute(
            select(provider_settings.c.config, provider_settings.c.secret_ciphertext).where(
                provider_settings.c.space_id == setting.space_id, provider_settings.c.provider == setting.provider
            )
        )
    ).first()
    if row is None:
        return False
    default = CONFIG_MODELS[setting.provider]().model_dump()
    return row.secret_ciphertext is not None or {**default, **(row.config or {})} != default


async def _import_setting(
    session: AsyncSession, keyring: Keyring, caller: CallerContext, setting: ImportedSetting, dry_run: bool
) -> SettingOutcome:
    outcome = {"space_id": setting.space_id, "provider": setting.provider}
    if await _already_set_up(session, setting):
        return SettingOutcome(**outcome, outcome="unchanged", reason="The space already has these settings.")
    if dry_run:
        return SettingOutcome(**outcome, outcome="created")
    body: dict[str, Any] = dict(setting.config)
    if setting.token:
        body["token"] = setting.token
    try:
        async with session.begin_nested():
            await write_update(session, keyring, caller, setting.space_id, setting.provider, body)
    except AppError as exc:
        return SettingOutcome(**outcome, outcome="failed", reason=exc.message)
    return SettingOutcome(**outcome, outcome="created")
