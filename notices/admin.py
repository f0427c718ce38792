from django.contrib import admin

from audit.admin import AuditedAdmin
from notices.models import Contact


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    """The contacts page's lines, kept by the provincial admin (every change audited)."""

    list_display = ["topic", "unit", "names", "phone", "email", "position"]
    list_editable = ["position"]
    list_filter = ["topic"]
