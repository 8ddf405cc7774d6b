"""`/api/auth/2fa/*`: enrolling and removing the caller's own TOTP second factor (a session only),
and `/api/auth/login/2fa`: completing a sign-in that answered `two_factor_required`."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from identity.api.cookies import set_session_cookies
from identity.api.schemas import (
    LoginTwoFactorIn,
    RecoveryCodesOut,
    TwoFactorDisableIn,
    TwoFactorEnableIn,
    TwoFactorSetupOut,
    UserEnvelope,
    UserOut,
)
from identity.bootstrap import IdentityDep
from identity.handlers import two_factor
from identity.handlers.tokens import session_only
from shelfspace_kernel.caller import CallerDep, signed_in_user
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/api/auth")
SignedIn = Annotated[object, Depends(signed_in_user)]


@router.post("/2fa/setup", operation_id="setup_two_factor")
async def setup(session: SessionDep, identity: IdentityDep, caller: CallerDep, _: SignedIn) -> TwoFactorSetupOut:
    session_only(caller)
    return TwoFactorSetupOut(**await two_factor.setup(session, identity, caller))


@router.post("/2fa/enable", operation_id="enable_two_factor")
async def enable(
    body: TwoFactorEnableIn, session: SessionDep, identity: IdentityDep, caller: CallerDep, _: SignedIn
) -> RecoveryCodesOut:
    session_only(caller)
    return RecoveryCodesOut(recovery_codes=await two_factor.enable(session, identity, caller, body.code))


@router.post("/2fa/disable", status_code=204, operation_id="disable_two_factor")
async def disable(
    body: TwoFactorDisableIn, session: SessionDep, identity: IdentityDep, caller: CallerDep, _: SignedIn
) -> Response:
    session_only(caller)
    await two_factor.disable(session, identity, caller, body.current_password)
    return Response(status_code=204)


@router.post("/login/2fa", operation_id="login_two_factor")
async def login_second_factor(
    body: LoginTwoFactorIn, response: Response, session: SessionDep, identity: IdentityDep, caller: CallerDep
) -> UserEnvelope:
    user, created = await two_factor.complete_login(
        session, identity, caller, body.challenge_token, body.code, body.recovery_code
    )
    set_session_cookies(response, created, identity.settings)
    return UserEnvelope(user=UserOut(**user))
