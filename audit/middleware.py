"""Keeps the current request at hand — its address for the audit trail, its id and user for the logs — and
writes one access-log line per request (core.logs formats it as JSON, without the query string)."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from core.logs import current_request, current_request_id
from core.net import client_ip

__all__ = ["RequestContextMiddleware", "client_ip", "current_ip"]

current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("current_ip", default="")
access_log = logging.getLogger("onex.request")
# An id nginx (or a load balancer) already gave the request is kept, if it looks like one.
INCOMING_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def request_id_of(request) -> str:
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex


class RequestContextMiddleware:
    """First in MIDDLEWARE, so every answer (even one refused by a later middleware) has its X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_of(request)
        tokens = (
            current_ip.set(client_ip(request)),
            current_request_id.set(request.request_id),
            current_request.set(request),
        )
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            for var, token in zip((current_ip, current_request_id, current_request), tokens, strict=True):
                var.reset(token)
