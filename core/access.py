"""The gate of a view: signed in first (else the login page), then a test on the user (else 403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def user_passes(test: Callable[[Any], bool]):
    """Like Django's user_passes_test, but a signed-in user who fails the test gets 403, not the login page."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
