"""limit/offset pagination for every list, with a maximum page size and links to the neighbouring pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    next: str | None = Field(None, description="The URL of the next page; null on the last.")
    previous: str | None = Field(None, description="The URL of the previous page; null on the first.")


def paged(queryset, page: PageIn, serialize: Callable) -> dict:
    """One page of `queryset` (ordered), serialized, with the total count."""
    items = queryset[page.offset : page.offset + page.limit]
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [serialize(item) for item in items],
    }


def _page_url(request, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"], query["limit"] = str(offset), str(limit)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def with_links(request, data: Any) -> Any:
    """`data` with `next` and `previous` filled in when it is a page of a list (see `paged`); anything else as is.
    Done once for every answer (api.openapi), so no list can forget its links."""
    if not isinstance(data, dict) or not {"count", "limit", "offset", "items", "next", "previous"} <= data.keys():
        return data
    count, limit, offset = data["count"], data["limit"], data["offset"]
    after = offset + limit
    before = max(offset - limit, 0)
    return data | {
        "next": _page_url(request, after, limit) if after < count else None,
        "previous": _page_url(request, before, limit) if offset > 0 else None,
    }
