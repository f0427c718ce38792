from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from audit.services import record
from institutions.models import Bureau, Institution


def _plain(value):
    """A form value as something the audit trail can store (objects by name, lists as lists)."""
    if hasattr(value, "all") and callable(value.all):  # a queryset of many-to-many choices
        return [str(v) for v in value.all()]
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if hasattr(value, "_meta"):
        return str(value)
    return value


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in Django's admin go into the audit trail like any other change."""

    def _action(self, verb: str) -> str:
        return f"{self.model._meta.model_name}.admin_{verb}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = form.changed_data if change else list(form.cleaned_data)
        if change and not changed:
            return
        record(
            actor=request.user,
            action=self._action("change" if change else "add"),
            obj=obj,
            before={f: _plain(form.initial.get(f)) for f in changed} if change else None,
            after={f: _plain(form.cleaned_data.get(f)) for f in changed},
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        lines = [f"+ {o}" for o in formset.new_objects]
        lines += [f"~ {o}: {', '.join(fields)}" for o, fields in formset.changed_objects]
        lines += [f"- {o}" for o in formset.deleted_objects]
        if lines:
            record(actor=request.user, action=self._action("change"), obj=form.instance, after={"inline": lines})

    def delete_model(self, request, obj):
        record(actor=request.user, action=self._action("delete"), obj=obj, before={"repr": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


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
