from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OneXAdminSite(admin.AdminSite):
    """Django's admin, for provincial admins only."""

    site_header = _("OneX administration")
    site_title = _("OneX administration")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and getattr(user, "is_provincial_admin", False))

    def login(self, request, extra_context=None):
        # One login for the whole site: the lockout and the second factor live behind accounts' login page.
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("login"))
