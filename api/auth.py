"""`Authorization: Bearer <token>` with a personal token; the session cookie is never accepted here, so the
API has no CSRF question. The limits are counted once the token is known: the API's per person, across all their
tokens (api/ratelimit.py), and for a file the pages' export limit (api/downloads.py)."""

from __future__ import annotations

from django.utils import timezone
from ninja.errors import AuthenticationError, Throttled
from ninja.security import HttpBearer

from api import ratelimit
from api.downloads import export_hit
from api.services import authenticate


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token (`onex_<prefix>_<secret>`), created on the page /api/tokens/."

    def authenticate(self, request, token: str):
        now = timezone.now()
        found = authenticate(token, at=now)
        if found is None:
            raise AuthenticationError(message="The token is missing, malformed, expired or revoked.")
        for verdict in (ratelimit.hit(found.user_id, at=now), export_hit(request, found.user)):
            if verdict is not None and not verdict.allowed:
                raise Throttled(wait=verdict.retry_after)
        # The pages' scope helpers read request.user: the API acts as the token's owner, never as a session.
        request.user = found.user
        request.api_token = found
        return found
