"""The client's address as the application sees it, behind TRUSTED_PROXY_COUNT proxies."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """The address of whoever sent the request.

    Each trusted proxy (nginx, a load balancer) appends the address it received the request from to
    X-Forwarded-For; the client is the entry that many hops from the end. Entries before it were written by the
    client and prove nothing. With no trusted proxy the header is ignored: anyone can send it.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return hops[0] if hops else remote
    return hops[-proxies]
