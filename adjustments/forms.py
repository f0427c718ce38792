"""Forms only clean input and return typed values; the services (and R7) decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from adjustments.enums import ItemKind, Outcome
from adjustments.models import AdjustmentItem, AdjustmentRequest
from adjustments.rules import Change, Record
from catalog.enums import Level
from core.text import IdentifierField

MAX_HEADCOUNT = 100_000
BLANK_NEW_ROWS = 2
# The new-line fields and the AdjustmentItem attributes they show, where the names differ.
ITEM_ATTRIBUTE = {"certificate": "certificate_id", "headcount": "after"}


def _css(field: forms.Field, size: str = "form-control-sm") -> forms.Field:
    base = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
    field.widget.attrs["class"] = f"{base} {base}-{size.split('-')[-1]}"
    return field


class RequestForm(forms.Form):
    """The figures asked for: one box per approved line (its new headcount), and rows for new majors or levels.

    A box left at the approved figure asks for nothing. Lower figures and 0 pass the form on purpose: R7 refuses
    them, with the notice's words.
    """

    reason = forms.CharField(label=_("reason for the adjustment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, record: Record, request: AdjustmentRequest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["reason"].widget.attrs["class"] = "form-control"
        items = list(request.items.all()) if request else []
        raised = {item.line_id: item.after for item in items if item.kind == ItemKind.INCREASE}
        if request and not self.is_bound:
            self.initial["reason"] = request.reason
        self.line_fields = [self._line_field(line, raised.get(pk)) for pk, line in record.lines.items()]
        new_items: list[AdjustmentItem] = [item for item in items if item.kind == ItemKind.NEW_LINE]
        self.new_rows = [
            self._new_row(i, new_items[i] if i < len(new_items) else None)
            for i in range(len(new_items) + BLANK_NEW_ROWS)
        ]

    def _line_field(self, line, raised: int | None):
        """The box of an approved line: its new headcount (the approved figure as placeholder)."""
        name = f"line_{line.pk}"
        self.fields[name] = _css(
            forms.IntegerField(label=str(line), min_value=0, max_value=MAX_HEADCOUNT, required=False, initial=raised)
        )
        self.fields[name].widget.attrs["placeholder"] = str(line.approved_headcount)
        return (line, self[name])

    def _new_row(self, i: int, item: AdjustmentItem | None) -> list:
        """The boxes of new line `i` (a new major or level of an approved certificate), filled from `item`."""
        certificates = sorted(
            {(line.certificate_id, line.certificate.short_name) for line in self.record.lines.values()},
            key=lambda c: c[1],
        )
        row = {
            "certificate": forms.TypedChoiceField(
                label=_("certificate"), choices=[("", "—"), *certificates], coerce=int, required=False, empty_value=None
            ),
            "level": forms.ChoiceField(label=_("level"), choices=[("", "—"), *Level.choices], required=False),
            "major_name": IdentifierField(label=_("major"), max_length=100, required=False),
            "major_code": IdentifierField(label=_("major code"), max_length=20, required=False),
            "headcount": forms.IntegerField(label=_("headcount"), min_value=0, max_value=MAX_HEADCOUNT, required=False),
        }
        names = []
        for key, field in row.items():
            name = f"new{i}_{key}"
            self.fields[name] = _css(field)
            if item is not None and not self.is_bound:
                self.initial[name] = getattr(item, ITEM_ATTRIBUTE.get(key, key))
            names.append(self[name])
        return names

    def changes(self) -> list[Change]:
        """The changes asked for (call after is_valid)."""
        data = self.cleaned_data
        changes = []
        for pk in self.record.lines:
            value = data.get(f"line_{pk}")
            if value is not None:
                changes.append(Change(headcount=value, line_id=pk))
        for i in range(len(self.new_rows)):
            values = {key: data.get(f"new{i}_{key}") for key in ("certificate", "level", "major_name", "headcount")}
            if not any(values.values()):
                continue
            changes.append(
                Change(
                    headcount=values["headcount"] or 0,
                    certificate_id=values["certificate"],
                    level=values["level"] or "",
                    major_name=values["major_name"] or "",
                    major_code=data.get(f"new{i}_major_code") or "",
                )
            )
        return changes


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("remark"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class DecisionForm(forms.Form):
    """The province's decision; for "approve lower figures" one box per item."""

    outcome = forms.ChoiceField(label=_("decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

    def __init__(self, *args, items: list[AdjustmentItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.item_fields = []
        for item in items:
            name = f"item_{item.pk}"
            self.fields[name] = _css(
                forms.IntegerField(
                    label=str(item), min_value=item.before, max_value=item.after, required=False, initial=item.after
                )
            )
            self.item_fields.append((item, self[name]))

    def approved(self) -> dict[int, int]:
        data = self.cleaned_data
        return {item.pk: data[f"item_{item.pk}"] for item in self.items if data.get(f"item_{item.pk}") is not None}


class ScanForm(forms.Form):
    file = forms.FileField(label=_("stamped scan (PDF, JPG or PNG, at most 20 MB)"))
