from django.contrib import admin
from django.utils import timezone

from audit.admin import AuditedAdmin
from core.dates import local_today
from rounds.enums import Season
from rounds.models import Extension, Round


@admin.register(Round)
class RoundAdmin(AuditedAdmin):
    list_display = ["__str__", "year", "season", "filing_start", "filing_end", "provincial_review_end", "scan_deadline"]
    list_filter = ["season", "year"]
    search_fields = ["year"]

    def get_changeform_initial_data(self, request):
        """A new round starts from the notice's dates (DOMAIN.md §4) for this year's spring."""
        initial = super().get_changeform_initial_data(request)
        year = int(initial.get("year") or local_today(timezone.now()).year)
        season = initial.get("season") or Season.SPRING
        return {"year": year, "season": season} | Round.notice_defaults(year, season) | initial


@admin.register(Extension)
class ExtensionAdmin(AuditedAdmin):
    list_display = ["round", "stage", "institution", "bureau", "until", "granted_by", "granted_at"]
    list_filter = ["stage", "round"]
    search_fields = ["institution__name", "bureau__name", "reason"]
    autocomplete_fields = ["institution", "bureau"]
    list_select_related = ["round", "institution", "bureau", "granted_by"]
    readonly_fields = ["granted_by", "granted_at"]

    def _action(self, verb: str) -> str:
        # Same name as rounds.services.grant_extension, so the trail reads alike wherever it was granted.
        return "extension.grant" if verb == "add" else super()._action(verb)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
