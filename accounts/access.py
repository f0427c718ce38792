"""Role checks for views: out-of-scope objects are 404 (helpers per object), wrong roles are 403."""

from __future__ import annotations

from core.access import user_passes


def role_required(*roles: str):
    return user_passes(lambda user: user.role in roles)
