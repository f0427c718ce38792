"""The provincial admin's search of the whole audit log."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.models import role_labels
from core.dates import start_of


class AuditSearchForm(forms.Form):
    actor = forms.CharField(max_length=150, required=False, label=_("who"))
    role = forms.ChoiceField(
        choices=lambda: [("", "—"), *role_labels().items(), ("system", _("system"))], required=False, label=_("role")
    )
    action = forms.CharField(
        max_length=60, required=False, label=_("action"), help_text=_("e.g. review. or plan.sign_off")
    )
    object = forms.CharField(max_length=200, required=False, label=_("object"), help_text=_("a name, or type#id"))
    date_from = forms.DateField(required=False, label=_("from (date)"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("to (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if field.widget.input_type == "select"
                else ("form-control form-control-sm")
            )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def apply(self, events: QuerySet) -> QuerySet:
        """`events` narrowed by the valid criteria (all events when the form is empty or invalid)."""
        if not self.is_bound or not self.is_valid():
            return events
        data = self.cleaned_data
        if data["actor"]:
            events = events.filter(actor_name__icontains=data["actor"].strip())
        if data["role"]:
            events = events.filter(actor_role=data["role"])
        if data["action"]:
            events = events.filter(action__startswith=data["action"].strip())
        if data["object"]:
            events = events.filter(_object_query(data["object"].strip()))
        # Dates are whole days in Asia/Shanghai, like every date in OneX.
        if data["date_from"]:
            events = events.filter(at__gte=start_of(data["date_from"]))
        if data["date_to"]:
            events = events.filter(at__lt=start_of(data["date_to"] + timedelta(days=1)))
        return events

    def criteria(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: str(value) for name, value in self.cleaned_data.items() if value}


def _object_query(text: str) -> Q:
    if "#" in text:
        object_type, _sep, object_id = text.partition("#")
        return Q(object_type=object_type.strip().lower(), object_id=object_id.strip())
    return Q(object_repr__icontains=text) | Q(object_type=text.lower())
