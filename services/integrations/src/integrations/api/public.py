"""Routes of the public API that the gateway forwards to the integrations service."""

from fastapi import APIRouter

router = APIRouter(prefix="/api")
