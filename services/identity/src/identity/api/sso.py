"""Single sign-on: `/api/auth/sso/{id}/start|callback` and `/api/auth/forward-auth` for anyone (the
browser is redirected, never shown JSON), and `/api/admin/sso` for the instance admin.

A sign-in that fails lands on the login page with a readable `sso_error`, never on an error page.
"""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import RedirectResponse

from identity.api.admin import second_factor_if_required
from identity.api.cookies import set_session_cookies
from identity.api.schemas import SsoConfigIn, SsoConfigOut, SsoProviderOut, SsoTestIn, SsoTestOut
from identity.bootstrap import IdentityDep
from identity.handlers import sso, sso_config
from identity.oidc import OidcError
from shelfspace_kernel.caller import CallerDep, require_global_admin
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import AppError

router = APIRouter(prefix="/api/auth")
admin_router = APIRouter(
    prefix="/api/admin", dependencies=[Depends(require_global_admin), Depends(second_factor_if_required)]
)
Text = Annotated[str | None, Query(max_length=2000)]


def _to_login(message: str) -> RedirectResponse:
    return RedirectResponse("/login?" + urlencode({"sso_error": message}), status_code=303)


@router.get("/sso/{provider_id}/start", operation_id="start_sso_login", response_class=RedirectResponse)
async def start(
    provider_id: str, session: SessionDep, identity: IdentityDep, caller: CallerDep,
    return_to: Text = None, link: bool = False,
) -> RedirectResponse:  # fmt: skip
    try:
        url = await sso.start(session, identity, caller, provider_id, return_to, link)
    except (AppError, OidcError) as exc:
        return _to_login(str(exc))
    return RedirectResponse(url, status_code=303)


@router.get("/sso/{provider_id}/callback", operation_id="finish_sso_login", response_class=RedirectResponse)
async def callback(
    provider_id: str, session: SessionDep, identity: IdentityDep, caller: CallerDep,
    state: Text = None, code: Text = None, error: Text = None, error_description: Text = None,
) -> RedirectResponse:  # fmt: skip
    if error or not state or not code:
        # The provider's own refusal (the person cancelled, or is not allowed there).
        return _to_login(error_description or error or "The sign-in provider sent no answer; start again.")
    try:
        created, return_to = await sso.finish(session, identity, caller, provider_id, state, code)
    except (AppError, OidcError) as exc:
        return _to_login(str(exc))
    response = RedirectResponse(return_to, status_code=303)
    set_session_cookies(response, created, identity.settings)
    return response


@router.get("/forward-auth", operation_id="check_forward_auth", response_class=RedirectResponse)
async def forward_auth(
    session: SessionDep, identity: IdentityDep, caller: CallerDep,
    remote_user: Annotated[str | None, Header(max_length=320)] = None,
    remote_email: Annotated[str | None, Header(max_length=320)] = None,
) -> RedirectResponse:  # fmt: skip
    try:
        _, created = await sso.forward_auth(session, identity, caller, remote_user, remote_email)
    except AppError as exc:
        return _to_login(str(exc))
    response = RedirectResponse("/", status_code=303)
    set_session_cookies(response, created, identity.settings)
    return response


@admin_router.get("/sso", operation_id="get_sso_config")
async def get_config(session: SessionDep, identity: IdentityDep) -> SsoConfigOut:
    providers = await sso_config.providers(session)
    base = identity.settings.public_url.rstrip("/")
    return SsoConfigOut(
        providers=[
            SsoProviderOut(
                id=p.id,
                name=p.name,
                issuer=p.issuer,
                client_id=p.client_id,
                secret_set=p.secret_set,
                redirect_uri=f"{base}/api/auth/sso/{p.id}/callback",
                **p.options,
            )
            for p in providers
        ],
        forward_auth=identity.settings.forward_auth_enabled,
    )


@admin_router.put("/sso", operation_id="put_sso_config")
async def put_config(body: SsoConfigIn, session: SessionDep, identity: IdentityDep, caller: CallerDep) -> SsoConfigOut:
    await sso_config.replace(session, identity, caller, [p.model_dump() for p in body.providers])
    return await get_config(session, identity)


@admin_router.post("/sso/test", operation_id="test_sso_config")
async def test_config(body: SsoTestIn, identity: IdentityDep) -> SsoTestOut:
    ok, detail = await sso.check_discovery(identity, body.issuer)
    return SsoTestOut(ok=ok, detail=detail)
