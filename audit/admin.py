"""Django's admin, audited: every room's ModelAdmin derives from AuditedAdmin."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from audit.services import record
from core.text import IdentifierField


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
    """Changes made in Django's admin go into the audit trail like any other change; names and remarks typed
    here are normalised like everywhere else (core.text)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", IdentifierField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

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
