"""Sessions end after 30 idle minutes (SESSION_COOKIE_AGE) and 12 hours in all (here); reviewers and admins
need their second factor before anything else."""

import time

from django.conf import settings
from django.contrib.auth import get_user, logout
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from accounts.second_factor import needs_second_factor
from accounts.sessions import reading_session

# A session's idle expiry moves forward when it is saved; saving it on every request (an UPDATE and a cache
# write each) is most of what a signed-in request costs over an anonymous one. Saved at most once a minute
# instead, a session idle for 30 minutes has ended; one idle for 29 minutes may have ended up to a minute early.
REFRESH_EVERY_SECONDS = 60
REFRESHED_AT = "refreshed_at"


STARTED_AT = "started_at"


def stamp_signed_in(request) -> None:
    """At sign-in, which saves the session anyway: its start (the 12-hour limit counts from it) and its refresh
    (the expiry was just set), so that the next request writes nothing."""
    now = int(time.time())
    request.session[STARTED_AT] = request.session[REFRESHED_AT] = now


class SessionRefreshMiddleware:
    """Marks a live session changed (so SessionMiddleware saves it, with a new expiry and cookie) when it was
    last refreshed a minute ago or more; a request that changes nothing else then writes nothing. Install
    after SessionMiddleware, with SESSION_SAVE_EVERY_REQUEST off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        refreshed = session.get(REFRESHED_AT)  # loads the session; an unknown or expired key leaves it keyless
        now = int(time.time())
        if session.session_key and (refreshed is None or now - refreshed >= REFRESH_EVERY_SECONDS):
            session[REFRESHED_AT] = now
        return self.get_response(request)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's AuthenticationMiddleware and django-otp's (OTPMiddleware below) in one: request.user is the
    person with their second factor's state (otp_device, is_verified()) in one lazy object, where django-otp's
    wrapped Django's and every attribute read went through both. While the person is read the session is at
    hand, so the backend takes the cached person the session's key named and its load read (accounts.sessions)
    instead of asking the cache again."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.otp = OTPMiddleware(get_response)

    def process_request(self, request):
        super().process_request(request)
        self.otp._install_lazy_accessors(request)  # request.auser, for async views; request.user is replaced:
        request.user = SimpleLazyObject(lambda: self.otp._verify_user_sync(request, signed_in_user(request)))


def signed_in_user(request):
    """django.contrib.auth.middleware.get_user, the backend able to see the session being read."""
    if not hasattr(request, "_cached_user"):
        token = reading_session.set(request.session)
        try:
            request._cached_user = get_user(request)
        finally:
            reading_session.reset(token)
    return request._cached_user


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware (request.user.otp_device, user.is_verified()) reading the session's device from the
    cached person (accounts.backends.remember_user) instead of one query per request. A person not read through
    the cache (no `otp_devices`) gets django-otp's own lookup. The checks are django-otp's: the device must be the
    person's and confirmed, or the session forgets it."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = self._device(user, persistent_id) if persistent_id else None
            user.otp_device = self._finalize_device(request, user, device)
        return user

    def _device(self, user, persistent_id: str):
        devices = getattr(user, "otp_devices", None)
        if devices is None:
            return self._device_from_persistent_id(persistent_id)
        return devices.get(self._normalize_persistent_id(persistent_id))


class AbsoluteSessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(STARTED_AT, int(time.time()))  # set at sign-in (accounts.signals)
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Reviewers and admins signed in with a password alone reach only the second-factor pages, logout and login.

    Everything else, Django's admin included, sends them to the second-factor page (which enrols them first if
    they have no device yet), then back. Install after AuthenticationMiddleware (above), which says who is
    verified.
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
