"""Keeps the current request's address at hand so services can audit without a request argument."""

from __future__ import annotations

import contextvars

current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("current_ip", default="")


def client_ip(request) -> str:
    # Behind one trusted proxy (nginx) the client is the last X-Forwarded-For hop.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
