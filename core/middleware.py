"""Refusing a request body that is too large by its declared length, before anything reads it; private answers
stay out of caches."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


def body_limit(request) -> int:
    """Uploads (multipart) may be as large as the largest file we accept; any other body is a form or JSON."""
    if request.content_type == "multipart/form-data":
        return settings.REQUEST_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def declared_length(request) -> int | None:
    """The Content-Length header as a number; None when it is not one (a malformed header is refused too)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class RequestSizeLimitMiddleware:
    """413 for a body declared larger than `body_limit`: the body is never read, nothing can change.

    Runs before CSRF and sessions read request.POST; a view may still set a lower limit of its own
    (scans do, documents.uploads). A missing Content-Length reads as an empty body in Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length, limit = declared_length(request), body_limit(request)
        if length is None or length > limit:
            return too_large(request, limit)
        return self.get_response(request)


def too_large(request, limit: int):
    size = f"{limit / 1024 / 1024:g}"
    if "text/html" in request.headers.get("Accept", ""):
        return render(request, "413.html", {"limit_mb": size}, status=413)
    # The API and scripts: the same words as problem+json (api/problems.py's shape).
    detail = _("A request may carry at most %(size)s MB. Nothing was saved.") % {"size": size}
    return JsonResponse(
        {"type": "about:blank", "title": _("The upload is too large"), "status": 413, "detail": detail},
        status=413,
        content_type="application/problem+json",
    )


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every answer to a signed-in user (a page, JSON, a redirect).

    A school's shared computer keeps nothing a signed-in person saw in its browser cache, and no proxy keeps it
    either. Answers that already say `no-store` (downloads) keep their header. Sits after the authentication
    middleware; the API's token sets request.user inside the view, which is over when this looks at it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-store"
            elif "no-store" not in cc_directives(response["Cache-Control"]):
                patch_cache_control(response, private=True, no_store=True)
        return response


def cc_directives(header: str) -> set[str]:
    return {part.split("=")[0].strip().lower() for part in header.split(",")}
