"""Routes of the public API that the gateway forwards to the identity service."""

from fastapi import APIRouter

from identity.api import admin, auth, spaces, sso, tokens, two_factor

router = APIRouter()
router.include_router(auth.router)
router.include_router(tokens.router)
router.include_router(two_factor.router)
router.include_router(sso.router)
router.include_router(spaces.router)
router.include_router(admin.router)
router.include_router(sso.admin_router)
