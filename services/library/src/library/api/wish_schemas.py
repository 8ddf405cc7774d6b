"""Request and response shapes of the wishlist (API.md "Collector records")."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from library.api.schemas import CopyIn, MediaOut, Title, _Input
from shelfspace_contracts.media_items import CopyFormat, MediaType

# 1 is wanted most.
Priority = Annotated[int, Field(ge=1, le=5)]


class _WishFields(_Input):
    year: int | None = Field(default=None, ge=1870, le=2100)
    tmdb_id: int | None = Field(default=None, gt=0, lt=2**31)
    imdb_id: str | None = Field(default=None, pattern=r"^tt\d{5,10}$")
    poster_url: str | None = Field(default=None, max_length=2000)
    format_wanted: CopyFormat | None = None
    notes: str | None = Field(default=None, max_length=10000)


class WishIn(_WishFields):
    title: Title
    media_type: MediaType
    priority: Priority = 3


class WishPatch(_WishFields):
    title: Title | None = None
    media_type: MediaType | None = None
    priority: Priority | None = None

    @field_validator("title", "media_type", "priority")
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("this field cannot be null")
        return value


class WishOut(BaseModel):
    id: uuid.UUID
    title: str
    year: int | None
    media_type: MediaType
    tmdb_id: int | None
    imdb_id: str | None
    poster_url: str | None
    priority: int
    format_wanted: CopyFormat | None
    notes: str | None
    added_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    can_edit: bool


class WishPage(BaseModel):
    items: list[WishOut]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool


class GotItIn(_Input):
    """The copy bought: its format, location and the rest, as a copy of a title takes them."""

    copy_: CopyIn = Field(alias="copy")


class GotItOut(BaseModel):
    media: MediaOut
