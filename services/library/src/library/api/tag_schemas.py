"""Request and response shapes of tags and saved views (API.md "Collector records")."""

import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import parse_qsl

from pydantic import BaseModel, Field, StringConstraints, ValidationError, field_validator

from library.api.schemas import ListParams, TagName, _Input

# What a saved view may hold: the list's filters and sort, not a page of it.
VIEW_KEYS = frozenset(ListParams.model_fields) - {"limit", "cursor"}
ViewName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class TagOut(BaseModel):
    name: str
    count: int  # live titles with the tag


class TagPage(BaseModel):
    items: list[TagOut]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool


class TagRename(_Input):
    """The tag's new name; when another tag has it already, the two are merged."""

    name: TagName


class TagRenamed(TagOut):
    merged: bool


def list_query(value: str) -> str:
    """A library list query string (`genre=Drama&sort=year`), checked against the list's filters."""
    query = value.strip().removeprefix("?")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as exc:
        raise ValueError("not a query string (name=value&…)") from exc
    names = [name for name, _ in pairs]
    if unknown := sorted(set(names) - VIEW_KEYS):
        raise ValueError(f"unknown filter: {', '.join(unknown)}")
    if len(set(names)) != len(names):
        raise ValueError("a filter is given twice")
    try:
        ListParams.model_validate(dict(pairs))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"a filter is not valid: {problems}") from exc
    return query


class ViewIn(_Input):
    name: ViewName
    query: str = Field(max_length=2000)
    shared: bool = False

    @field_validator("query")
    @classmethod
    def _list_query(cls, value: str) -> str:
        return list_query(value)


class ViewOut(BaseModel):
    id: uuid.UUID
    name: str
    query: str
    shared: bool
    owner_id: uuid.UUID
    created_at: datetime
    can_delete: bool


class ViewPage(BaseModel):
    items: list[ViewOut]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool
