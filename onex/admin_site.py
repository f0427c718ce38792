from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class OneXAdminSite(admin.AdminSite):
    """Django's admin, for provincial admins only."""

    site_header = _("OneX administration")
    site_title = _("OneX administration")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and getattr(user, "is_provincial_admin", False))
