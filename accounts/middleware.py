"""Sessions end after 30 idle minutes (SESSION_COOKIE_AGE) and 12 hours in all (here); reviewers and admins
need their second factor before anything else."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts.second_factor import needs_second_factor


class AbsoluteSessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault("started_at", int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Reviewers and admins signed in with a password alone reach only the second-factor pages, logout and login.

    Everything else, Django's admin included, sends them to the second-factor page (which enrols them first if
    they have no device yet), then back. Install after django_otp's OTPMiddleware, which says who is verified.
    """

    ALLOWED_URL_NAMES = ("second_factor", "second_factor_enrol", "logout", "login")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_second_factor(user) and not user.is_verified() and not self._allowed(request.path_info):
            return redirect_to_login(request.get_full_path(), login_url=reverse("second_factor"))
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        if path.startswith((settings.STATIC_URL, "/i18n/")):  # static files; the language switch
            return True
        return path in {reverse(name) for name in self.ALLOWED_URL_NAMES}
