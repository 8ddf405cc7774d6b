"""Routes of the public API that the gateway forwards to the library service."""

from fastapi import APIRouter

router = APIRouter(prefix="/api")
