"""Internal contracts of the move from collectZ: what sync sends identity and integrations.

identity: `POST /internal/imports/users` (`UserImport` → `UserImportResult`) and
`POST /internal/imports/spaces` (`SpaceImport` → `SpaceImportResult`); integrations:
`POST /internal/imports/integrations` (`IntegrationImport` → `IntegrationImportResult`). Only the
caller `sync`, acting for a global admin, may call them. `dry_run` answers what would happen and
writes nothing.
"""

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shelfspace_contracts.roles import GlobalRole, SpaceRole

USERS_PATH = "/internal/imports/users"
SPACES_PATH = "/internal/imports/spaces"
INTEGRATIONS_PATH = "/internal/imports/integrations"

# bcrypt's modular-crypt prefixes (collectZ hashes with bcryptjs: `$2a$` or `$2b$`).
BCRYPT_PREFIXES: tuple[str, ...] = ("$2a$", "$2b$", "$2y$")
MAX_BATCH = 500

Outcome = Literal["created", "updated", "unchanged", "failed"]


class ImportedUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    name: str = Field(min_length=1, max_length=100)
    role: GlobalRole = GlobalRole.USER
    # The other app's bcrypt hash, kept until the first sign-in rehashes the password with argon2.
    password_hash: str | None = Field(default=None, max_length=200)


class UserImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    users: list[ImportedUser] = Field(max_length=MAX_BATCH)
    dry_run: bool = False


class UserOutcome(BaseModel):
    email: str
    user_id: uuid.UUID | None = None
    outcome: Outcome
    reason: str | None = None


class UserImportResult(BaseModel):
    results: list[UserOutcome]


class ImportedMember(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    role: SpaceRole


class ImportedSpace(BaseModel):
    """A space by a stable id the caller derives from the source, so a second run finds it again."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str = Field(min_length=1, max_length=100)
    # An existing space named by the admin: it gains members but is never created.
    existing_only: bool = False
    members: list[ImportedMember] = Field(default_factory=list, max_length=MAX_BATCH)


class SpaceImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spaces: list[ImportedSpace] = Field(max_length=100)
    dry_run: bool = False


class SpaceOutcome(BaseModel):
    id: uuid.UUID
    outcome: Outcome
    memberships_added: int = 0
    reason: str | None = None


class SpaceImportResult(BaseModel):
    results: list[SpaceOutcome]


class ImportedSetting(BaseModel):
    """One provider's settings for one space; `token` is the secret in clear (sent once, over TLS)."""

    model_config = ConfigDict(extra="forbid")

    space_id: uuid.UUID
    provider: Literal["tmdb", "barcode", "vision", "plex"]
    config: dict[str, Any] = Field(default_factory=dict)
    token: str | None = Field(default=None, max_length=4000)


class IntegrationImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settings: list[ImportedSetting] = Field(max_length=100)
    dry_run: bool = False


class SettingOutcome(BaseModel):
    space_id: uuid.UUID
    provider: str
    outcome: Outcome
    reason: str | None = None


class IntegrationImportResult(BaseModel):
    results: list[SettingOutcome]
