"""Sessions end after 30 idle minutes (SESSION_COOKIE_AGE) and 12 hours in all (here)."""

import time

from django.conf import settings
from django.contrib.auth import logout


class AbsoluteSessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault("started_at", int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
