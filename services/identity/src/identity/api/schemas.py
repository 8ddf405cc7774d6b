"""Request and response bodies of the identity API (API.md: auth, spaces, invites, administration)."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from shelfspace_contracts.roles import GlobalRole, SpaceRole

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[EmailStr, Field(max_length=320)]
Password = Annotated[str, Field(min_length=1, max_length=1024)]
Token = Annotated[str, Field(min_length=1, max_length=200)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegisterIn(Input):
    email: Email
    password: Password
    name: Name
    invite_token: Token | None = None


class LoginIn(Input):
    email: Annotated[str, Field(min_length=1, max_length=320)]
    password: Password


class TwoFactorChallengeOut(BaseModel):
    """The right password of an enrolled user: send a code with `challenge_token` to /login/2fa."""

    two_factor_required: Literal[True] = True
    challenge_token: str
    expires_at: datetime


OneTimeCode = Annotated[str, Field(min_length=1, max_length=20)]
RecoveryCode = Annotated[str, Field(min_length=1, max_length=40)]


class LoginTwoFactorIn(Input):
    challenge_token: Token
    code: OneTimeCode | None = None
    recovery_code: RecoveryCode | None = None

    @model_validator(mode="after")
    def _one_factor(self) -> "LoginTwoFactorIn":
        if (self.code is None) == (self.recovery_code is None):
            raise ValueError("send either `code` or `recovery_code`")
        return self


class TwoFactorSetupOut(BaseModel):
    otpauth_uri: str
    qr_svg: str


class TwoFactorEnableIn(Input):
    code: OneTimeCode


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str]


class TwoFactorDisableIn(Input):
    current_password: Password


class TwoFactorStateOut(BaseModel):
    enabled: bool
    # The instance requires it of administrators and this user is one without it: admin pages refuse.
    required: bool


class UpdateMeIn(Input):
    name: Name | None = None
    email: Email | None = None
    password: Password | None = None
    current_password: Password | None = None


class AcceptInviteIn(Input):
    token: Token


class SpaceNameIn(Input):
    name: Name


class DeleteSpaceIn(Input):
    confirm_name: Annotated[str, Field(max_length=100)]


class ActiveSpaceIn(Input):
    space_id: uuid.UUID


class MemberRoleIn(Input):
    role: SpaceRole


class InviteIn(Input):
    email: Email
    role: SpaceRole
    expires_in_hours: Annotated[int, Field(ge=1, le=24 * 90)] | None = None


class PasswordResetRequestIn(Input):
    email: Annotated[str, Field(min_length=1, max_length=320)]


class PasswordResetIn(Input):
    token: Token
    password: Password


class ApiTokenIn(Input):
    name: Name
    space_id: uuid.UUID
    role: SpaceRole
    expires_at: datetime | None = None


class AdminUserPatchIn(Input):
    role: GlobalRole | None = None
    disabled: bool | None = None


class FeatureFlagPatchIn(Input):
    enabled: bool


class InstanceSettingsPatchIn(Input):
    registration: Literal["invite_only", "open"] | None = None
    space_creation: Literal["everyone", "admins"] | None = None
    two_factor_for_admins: bool | None = None
    # Off: only the first admin (the break-glass account) signs in with a password; others use SSO.
    password_login: bool | None = None


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    role: GlobalRole


class UserEnvelope(BaseModel):
    user: UserOut


class SpaceOut(BaseModel):
    id: uuid.UUID
    name: str
    role: SpaceRole


class MeOut(BaseModel):
    user: UserOut
    active_space: SpaceOut | None
    spaces: list[SpaceOut]
    features: dict[str, bool]
    two_factor: TwoFactorStateOut


class SsoProviderBrief(BaseModel):
    id: str
    name: str


class AuthConfigOut(BaseModel):
    first_run: bool
    registration: Literal["invite_only", "open"]
    password_min_length: int
    # Passwords found in the bundled list of the most common ones are refused (`too_common`).
    password_rejects_common: bool
    password_login: bool
    password_reset_by_email: bool
    sso: list[SsoProviderBrief]
    # Sign-in from a forward-auth proxy's headers is on (GET /api/auth/forward-auth).
    forward_auth: bool = False


class MemberOut(BaseModel):
    user_id: uuid.UUID
    email: str
    name: str
    role: SpaceRole
    joined_at: datetime


class InviteOut(BaseModel):
    id: uuid.UUID
    email: str
    role: SpaceRole
    state: Literal["pending", "used", "revoked", "expired"]
    expires_at: datetime
    created_by: uuid.UUID | None
    created_at: datetime
    used_by: uuid.UUID | None
    used_at: datetime | None


class InviteCreatedOut(BaseModel):
    invite: InviteOut
    token: str
    invite_url: str


class ResetLinkOut(BaseModel):
    reset_url: str
    expires_at: datetime


class ApiTokenOut(BaseModel):
    id: uuid.UUID
    name: str
    space_id: uuid.UUID
    space_name: str
    role: SpaceRole
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreatedOut(BaseModel):
    token: ApiTokenOut
    secret: str


class AdminUserOut(UserOut):
    disabled: bool
    created_at: datetime
    two_factor_enabled: bool = False


class AdminSpaceOut(BaseModel):
    id: uuid.UUID
    name: str
    member_count: int
    created_at: datetime


class FeatureFlagOut(BaseModel):
    key: str
    description: str
    enabled: bool
    updated_at: datetime


class InstanceSettingsOut(BaseModel):
    registration: Literal["invite_only", "open"]
    space_creation: Literal["everyone", "admins"]
    two_factor_for_admins: bool = False
    password_login: bool = True


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool

    @classmethod
    def of(cls, items: list[Any], next_cursor: str | None = None, total: int | None = None, capped: bool = False):
        return cls(
            items=items,
            next_cursor=next_cursor,
            total=len(items) if total is None else total,
            total_is_lower_bound=capped,
        )


# Single sign-on (identity.handlers.sso_config) ---------------------------------------------------

ProviderId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Claim = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Domain = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=253)]
Group = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
HttpUrl = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s]+$", max_length=500)]


class SsoOptions(BaseModel):
    scopes: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"(^|\s)openid(\s|$)")] = (
        "openid email profile"
    )
    email_claim: Claim = "email"
    name_claim: Claim = "name"
    groups_claim: Claim = "groups"
    # Empty: any domain, any group. Both set: an account needs to pass both.
    allowed_email_domains: list[Domain] = Field(default_factory=list, max_length=50)
    allowed_groups: list[Group] = Field(default_factory=list, max_length=50)
    # Group → instance role, applied at every sign-in (admin if any group maps to admin).
    group_roles: dict[Group, GlobalRole] = Field(default_factory=dict, max_length=50)
    # Unknown people: created (then joining spaces by invite), or refused.
    auto_create: bool = False


class SsoProviderIn(SsoOptions, Input):
    id: ProviderId
    name: Name
    issuer: HttpUrl
    client_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    # Write-only: omitted, the provider keeps the secret it had.
    client_secret: Annotated[str, Field(min_length=1, max_length=2000)] | None = None


class SsoProviderOut(SsoOptions):
    id: str
    name: str
    issuer: str
    client_id: str
    secret_set: bool
    redirect_uri: str


class SsoConfigIn(Input):
    providers: list[SsoProviderIn] = Field(max_length=10)

    @model_validator(mode="after")
    def _unique_ids(self) -> "SsoConfigIn":
        if len({p.id for p in self.providers}) != len(self.providers):
            raise ValueError("provider ids must be unique")
        return self


class SsoConfigOut(BaseModel):
    providers: list[SsoProviderOut]
    forward_auth: bool


class SsoTestIn(Input):
    issuer: HttpUrl


class SsoTestOut(BaseModel):
    ok: bool
    detail: str
