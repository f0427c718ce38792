"""limit/offset pagination for every list, with a maximum page size."""

from __future__ import annotations

from collections.abc import Callable

from ninja import Schema
from pydantic import Field

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 10_000_000


class PageIn(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT} items.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PageOut(Schema):
    count: int
    limit: int
    offset: int


def paged(queryset, page: PageIn, serialize: Callable) -> dict:
    """One page of `queryset` (ordered), serialized, with the total count."""
    items = queryset[page.offset : page.offset + page.limit]
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [serialize(item) for item in items],
    }
