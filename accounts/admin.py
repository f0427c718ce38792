from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

# Second-factor devices hold secrets; they are reset from the users page, audited (accounts.services).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class OneXUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "institution", "bureau", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "institution__name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),  # Django's first (UserAdmin.fieldsets[0]); ours for the rest
        ("OneX", {"fields": ["full_name", "phone", "email", "role", "institution", "bureau", "is_active"]}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (("OneX", {"fields": ["full_name", "role", "institution", "bureau"]}),)
