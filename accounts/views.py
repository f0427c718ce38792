import math
import textwrap

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor as totp
from accounts import services
from accounts.access import role_required
from accounts.enums import Role
from accounts.forms import CodeForm, LoginForm, OneXPasswordChangeForm, UserCreateForm
from accounts.models import User
from audit.services import record

ENROL_KEY_SESSION = "onex_totp_enrol_key"


@role_required(Role.PROVINCIAL_ADMIN)
def user_list(request):
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    users = (
        User.objects.for_user(request.user)
        .select_related("institution", "bureau")
        .annotate(has_second_factor=Exists(enrolled))
    )
    return render(
        request, "accounts/user_list.html", {"users": users, "second_factor_roles": Role.second_factor_roles()}
    )


@role_required(Role.PROVINCIAL_ADMIN)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(actor=request.user, form=form)
        messages.success(request, _("User %(name)s created.") % {"name": user.username})
        return redirect("user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@require_POST
@role_required(Role.PROVINCIAL_ADMIN)
def user_second_factor_reset(request, pk: int):
    user = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    services.reset_second_factor(actor=request.user, user=user)
    messages.success(
        request, _("%(name)s's second factor was reset: they set up a new one at their next login.") % {"name": user}
    )
    return redirect("user_list")


class LoginView(auth_views.LoginView):
    """The password step; reviewers and admins go on to the second factor (accounts.middleware insists)."""

    template_name = "accounts/login.html"
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        services.record_login(user=user)
        if totp.needs_second_factor(user):
            return redirect_to_login(self.get_success_url(), login_url=reverse("second_factor"))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, audited. The new password's hash ends every other session of the user (session auth hash)."""

    template_name = "accounts/password_change.html"
    form_class = OneXPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        record(actor=self.request.user, action="user.password_change", obj=self.request.user)
        return response


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _mark_verified(request, device) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id for the raised trust, as at login


@never_cache
@login_required
def second_factor(request):
    """Enter the authenticator's code; users with no device yet are sent to enrol."""
    user = request.user
    if not totp.needs_second_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    device = totp.confirmed_device(user)
    if device is None:
        return redirect_to_login(_next_url(request), login_url=reverse("second_factor_enrol"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttled_seconds(device)
        if wait:
            # django-otp doubles the wait after each wrong code in a row (1 s, 2 s, 4 s, …).
            message = _("Too many wrong codes in a row: wait %(seconds)d seconds, then enter the newest code.")
            form.add_error("code", message % {"seconds": wait})
        elif services.verify_second_factor(user=user, device=device, code=form.cleaned_data["code"]):
            _mark_verified(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error(
                "code", _("This code is wrong or was used already: enter the next code your authenticator app shows.")
            )
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next_url(request)})


def _throttled_seconds(device) -> int:
    """How long django-otp still refuses codes for `device` after wrong ones (0: not at all)."""
    allowed, details = device.verify_is_allowed()
    if allowed or not (details or {}).get("locked_until"):
        return 0
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))


@never_cache
@login_required
def second_factor_enrol(request):
    """Set up the authenticator app: scan the QR code (or type the key), then confirm with its code."""
    user = request.user
    if not totp.needs_second_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if totp.confirmed_device(user) is not None:
        return redirect_to_login(_next_url(request), login_url=reverse("second_factor"))
    key = request.session.get(ENROL_KEY_SESSION) or totp.new_key()
    request.session[ENROL_KEY_SESSION] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.enrol_second_factor(user=user, key=key, code=form.cleaned_data["code"])
        if device is not None:
            del request.session[ENROL_KEY_SESSION]
            _mark_verified(request, device)
            messages.success(request, _("Your authenticator app is set up. Enter its code at every login."))
            return redirect(_next_url(request))
        form.add_error("code", _("This is not the code for this key: check the phone's clock and enter the next code."))
    context = {
        "form": form,
        "next": _next_url(request),
        "qr": totp.qr_svg(totp.config_url(user, key)),
        "secret": " ".join(textwrap.wrap(totp.key_base32(key), 4)),
    }
    return render(request, "accounts/second_factor_enrol.html", context)
