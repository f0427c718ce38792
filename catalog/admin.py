from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdmin
from catalog.models import AwardingBody, Certificate, CertificateLevel, Major


@admin.register(AwardingBody)
class AwardingBodyAdmin(AuditedAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Major)
class MajorAdmin(AuditedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class CertificateLevelInline(admin.TabularInline):
    model = CertificateLevel
    extra = 0
    fields = ["level", "min_headcount", "platform_id"]


@admin.register(Certificate)
class CertificateAdmin(AuditedAdmin):
    list_display = ["name", "batch", "awarding_body", "level_list", "restricted"]
    list_filter = ["batch", "restricted"]
    search_fields = ["name", "pinyin", "awarding_body__name"]
    autocomplete_fields = ["awarding_body"]
    filter_horizontal = ["majors"]
    inlines = [CertificateLevelInline]
    list_select_related = ["awarding_body"]
    fields = ["name", "batch", "awarding_body", "majors", "restricted", "restricted_reason", "source"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    @admin.display(description=_("levels"))
    def level_list(self, obj) -> str:
        return "、".join(level.get_level_display() for level in obj.levels.all())
