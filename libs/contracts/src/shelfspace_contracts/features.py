"""Feature flags of the whole instance: identity stores them, the gateway enforces them per route."""

from enum import StrEnum


class Feature(StrEnum):
    COVER_RECOGNITION = "cover_recognition"
    WATCHLIST = "watchlist"
    SCHEDULED_SYNC = "scheduled_sync"
