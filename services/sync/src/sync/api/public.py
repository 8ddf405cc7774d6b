"""Routes of the public API that the gateway forwards to the sync service."""

from fastapi import APIRouter

router = APIRouter(prefix="/api")
