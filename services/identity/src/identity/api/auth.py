"""`/api/auth/*` and `/api/invites/accept`: registration, login, logout and the caller's profile."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from identity.api.cookies import clear_session_cookies, set_session_cookies
from identity.api.schemas import (
    AcceptInviteIn,
    AuthConfigOut,
    LoginIn,
    MeOut,
    PasswordResetIn,
    PasswordResetRequestIn,
    RegisterIn,
    SpaceOut,
    SsoProviderBrief,
    TwoFactorChallengeOut,
    TwoFactorStateOut,
    UpdateMeIn,
    UserEnvelope,
    UserOut,
)
from identity.bootstrap import IdentityDep
from identity.handlers import auth, invites, reads, resets, sessions, spaces, sso, sso_config, two_factor
from shelfspace_kernel.caller import CallerDep, signed_in_user
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/api")
SignedIn = Annotated[object, Depends(signed_in_user)]


@router.get("/auth/config", operation_id="get_auth_config")
async def auth_config(session: SessionDep, identity: IdentityDep) -> AuthConfigOut:
    providers = await sso_config.providers(session)
    return AuthConfigOut(
        first_run=await auth.is_first_run(session),
        registration=await reads.setting(session, "registration"),
        password_min_length=identity.settings.password_min_length,
        password_rejects_common=True,
        password_login=await reads.setting(session, sso.PASSWORD_LOGIN) is not False,
        password_reset_by_email=identity.settings.mail_configured,
        sso=[SsoProviderBrief(id=p.id, name=p.name) for p in providers],
        forward_auth=identity.settings.forward_auth_enabled,
    )


@router.post("/auth/register", status_code=201, operation_id="register")
async def register(
    body: RegisterIn, response: Response, session: SessionDep, identity: IdentityDep, caller: CallerDep
) -> UserEnvelope:
    user, created = await auth.register(
        session, identity, caller, body.email, body.password, body.name, body.invite_token
    )
    set_session_cookies(response, created, identity.settings)
    return UserEnvelope(user=UserOut(**user))


@router.post("/auth/login", operation_id="login")
async def login(
    body: LoginIn, response: Response, session: SessionDep, identity: IdentityDep, caller: CallerDep
) -> UserEnvelope | TwoFactorChallengeOut:
    outcome = await auth.login(session, identity, caller, body.email, body.password)
    if isinstance(outcome, auth.TwoFactorChallenge):
        # No session yet: the second factor goes to /api/auth/login/2fa with this token.
        return TwoFactorChallengeOut(challenge_token=outcome.token, expires_at=outcome.expires_at)
    user, created = outcome
    set_session_cookies(response, created, identity.settings)
    return UserEnvelope(user=UserOut(**user))


@router.post(
    "/auth/password-reset/request", status_code=202, operation_id="request_password_reset", response_class=Response
)
async def request_password_reset(
    body: PasswordResetRequestIn, session: SessionDep, identity: IdentityDep, caller: CallerDep
) -> Response:
    await resets.request_by_email(session, identity.settings, caller, body.email)
    return Response(status_code=202)


@router.post("/auth/password-reset", status_code=204, operation_id="reset_password")
async def reset_password(
    body: PasswordResetIn, session: SessionDep, identity: IdentityDep, caller: CallerDep
) -> Response:
    await resets.reset_password(session, identity, caller, body.token, body.password)
    return Response(status_code=204)


@router.post("/auth/logout", status_code=204, operation_id="logout")
async def logout(session: SessionDep, identity: IdentityDep, caller: CallerDep, _: SignedIn) -> Response:
    await auth.logout(session, caller)
    response = Response(status_code=204)
    clear_session_cookies(response, identity.settings)
    return response


@router.get("/auth/me", operation_id="get_me")
async def me(session: SessionDep, caller: CallerDep, _: SignedIn) -> MeOut:
    user = await reads.user_by_id(session, caller.user_id)
    mine = [SpaceOut(**space) for space in await spaces.my_spaces(session, caller.user_id)]
    active_id = await sessions.active_space_of(session, caller.session_id, caller.user_id)
    return MeOut(
        user=UserOut(**user),
        active_space=next((space for space in mine if space.id == active_id), None),
        spaces=mine,
        features=await reads.features(session),
        two_factor=TwoFactorStateOut(**await two_factor.state_of(session, user)),
    )


@router.patch("/auth/me", operation_id="update_me")
async def update_me(
    body: UpdateMeIn, session: SessionDep, identity: IdentityDep, caller: CallerDep, _: SignedIn
) -> UserEnvelope:
    changes = body.model_dump(exclude_unset=True, exclude={"current_password"})
    changes = {key: value for key, value in changes.items() if value is not None}
    user = await auth.update_profile(session, identity, caller, changes, body.current_password)
    return UserEnvelope(user=UserOut(**user))


@router.post("/invites/accept", operation_id="accept_invite")
async def accept_invite(
    body: AcceptInviteIn, session: SessionDep, identity: IdentityDep, caller: CallerDep, _: SignedIn
) -> SpaceOut:
    return SpaceOut(**await invites.accept_invite(session, identity.settings, caller, body.token))
