from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdmin
from institutions.models import Bureau, Institution


@admin.register(Bureau)
class BureauAdmin(AuditedAdmin):
    list_display = ["name", "kind", "institution_count"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(institution_count=Count("institutions"))

    @admin.display(description=_("institutions"), ordering="institution_count")
    def institution_count(self, obj) -> int:
        return obj.institution_count


@admin.register(Institution)
class InstitutionAdmin(AuditedAdmin):
    list_display = ["name", "kind", "bureau", "ministry_code", "registered", "is_example"]
    list_filter = ["kind", "is_example", "bureau"]
    search_fields = ["name", "ministry_code", "platform_account"]
    list_select_related = ["bureau"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "bureau", "ministry_code", "authority", "remarks", "is_example"]}),
        (_("National platform"), {"fields": ["platform_account"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_phone", "contact_email"]}),
    ]

    @admin.display(description=_("registered on the national platform"), boolean=True)
    def registered(self, obj) -> bool:
        return obj.is_registered_on_platform
