from django.contrib.auth.forms import BaseUserCreationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

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
