"""Every file the API answers with counts against its person's export limit — the pages' own rule ("export" in
RATE_LIMITS, per user, core/ratelimit.py) and the same counter, so a script cannot build through the API what the
pages would refuse.

One place: `count_exports` decorates every operation of the API (`api.openapi.build`); an operation that declares
a file answer (`binary()` below, which the description test requires of every download) is marked, and the token's
authentication (`api.auth`) counts the mark once it knows the person, before the file is built."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from core.ratelimit import Verdict, hit, rule, user_key


def binary(*media_types: str) -> dict:
    """openapi_extra for an operation that answers a file."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}} for media_type in media_types}
    return {"responses": {200: {"description": "The file, as an attachment.", "content": content}}}


def answers_a_file(operation) -> bool:
    responses = (operation.openapi_extra or {}).get("responses", {})
    return any(
        media.get("schema", {}).get("format") == "binary"
        for status, answer in responses.items()
        if str(status).startswith("2")
        for media in answer.get("content", {}).values()
    )


def count_exports(run: Callable) -> Callable:
    """Mark the requests of an operation that answers a file (a view-mode decorator: `run` is the operation's)."""
    operation = getattr(inspect.unwrap(run), "__self__", None)
    if operation is None or not answers_a_file(operation):
        return run

    @functools.wraps(run)
    def marked(request, *args, **kwargs):
        request.counts_as_export = True
        return run(request, *args, **kwargs)

    marked.counts_as_export = True  # type: ignore[attr-defined]
    return marked


def export_hit(request, user) -> Verdict | None:
    """Count one export of `user` when `request` asks for a file; None when it does not."""
    if not getattr(request, "counts_as_export", False):
        return None
    return hit(rule("export"), user_key(user))
