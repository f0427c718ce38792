"""The catalogue's forms: they clean input and return typed values; catalog.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Certificate, CertificateLevel, Major


class RestrictionForm(forms.Form):
    restricted = forms.BooleanField(required=False, label=_("restricted"))
    reason = forms.CharField(
        max_length=200,
        required=False,
        label=_("reason for restriction"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, data=None, *, certificate: Certificate):
        initial = {"restricted": certificate.restricted, "reason": certificate.restricted_reason}
        super().__init__(data, initial=initial)
        self.fields["restricted"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("restricted") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the restriction."))
        return data


class LevelsForm(forms.Form):
    """One minimum headcount per level the certificate offers; empty means the province's default."""

    def __init__(self, data=None, *, levels: list[CertificateLevel], default: int):
        super().__init__(data, initial={level.level: level.min_headcount for level in levels})
        self.levels = levels
        for level in levels:
            self.fields[level.level] = forms.IntegerField(
                min_value=1,
                required=False,
                label=level.get_level_display(),
                widget=forms.NumberInput(attrs={"class": "form-control", "placeholder": default}),
            )

    def changes(self) -> list[tuple[CertificateLevel, int | None]]:
        return [(level, self.cleaned_data[level.level]) for level in self.levels]


class MajorsForm(forms.Form):
    majors = forms.ModelMultipleChoiceField(
        Major.objects.order_by("name", "code"),
        required=False,
        label=_("corresponding majors"),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 14}),
    )

    def __init__(self, data=None, *, certificate: Certificate):
        super().__init__(data, initial={"majors": list(certificate.majors.all())})


class CatalogSearchForm(forms.Form):
    q = forms.CharField(
        max_length=100,
        required=False,
        label=_("search"),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    restricted = forms.BooleanField(required=False, label=_("restricted only"))
