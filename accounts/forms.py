from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.enums import Role
from accounts.models import User
from core.forms import BootstrapMixin


class UserCreateForm(BootstrapMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone", "role", "institution", "bureau"]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in Role.institution_roles() and not data.get("institution"):
            self.add_error("institution", _("An institution role needs an institution."))
        if role == Role.BUREAU_REVIEWER and not data.get("bureau"):
            self.add_error("bureau", _("A bureau reviewer needs a bureau."))
        if role not in Role.institution_roles():
            data["institution"] = None
        if role != Role.BUREAU_REVIEWER:
            data["bureau"] = None
        return data


class OneXPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class LoginForm(AuthenticationForm):
    """Django's login form, with the lockout of accounts/lockout.py in front of the password check."""

    error_messages = AuthenticationForm.error_messages | {
        "locked": _(
            "Too many failed logins in a row: this username is locked until %(until)s. Try again after that time."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        result = services.check_password_login(
            request=self.request, username=username, password=password, at=timezone.now()
        )
        if result.locked_until is not None:
            until = formats.time_format(timezone.localtime(result.locked_until), "H:i")
            raise ValidationError(self.error_messages["locked"], code="locked", params={"until": until})
        if result.user is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(result.user)
        self.user_cache = result.user
        return self.cleaned_data


class CodeForm(BootstrapMixin, forms.Form):
    """A six-digit code from the authenticator app."""

    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()
