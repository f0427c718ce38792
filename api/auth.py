"""`Authorization: Bearer <token>` with a personal token; the session cookie is never accepted here, so the
API has no CSRF question. The rate limit is counted once the token is known."""

from __future__ import annotations

from django.utils import timezone
from ninja.errors import AuthenticationError, Throttled
from ninja.security import HttpBearer

from api import ratelimit
from api.services import authenticate


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token (`onex_<prefix>_<secret>`), created on the page /api/tokens/."

    def authenticate(self, request, token: str):
        now = timezone.now()
        found = authenticate(token, at=now)
        if found is None:
            raise AuthenticationError(message="The token is missing, malformed, expired or revoked.")
        verdict = ratelimit.hit(found.pk, at=now)
        if not verdict.allowed:
            raise Throttled(wait=verdict.retry_after)
        # The pages' scope helpers read request.user: the API acts as the token's owner, never as a session.
        request.user = found.user
        request.api_token = found
        return found
