from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.enums import DocumentKind


class PlanScanForm(forms.Form):
    """Which of the plan's papers a scan is of; the file itself is checked by documents.scans."""

    kind = forms.ChoiceField(
        label=_("document"),
        choices=[
            (DocumentKind.INSTITUTION_SUMMARY, DocumentKind.INSTITUTION_SUMMARY.label),
            (DocumentKind.APPLICATION_FORM, DocumentKind.APPLICATION_FORM.label),
        ],
    )
    certificate = forms.TypedChoiceField(label=_("certificate"), coerce=int, required=False, empty_value=None)
    file = forms.FileField(label=_("stamped scan (PDF, JPG or PNG, at most 20 MB)"))

    def __init__(self, *args, certificates: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["certificate"]).choices = [("", "—"), *certificates]

    def clean(self):
        data = super().clean()
        if data.get("kind") == DocumentKind.APPLICATION_FORM and not data.get("certificate"):
            self.add_error("certificate", _("Choose the certificate whose application form this is."))
        return data


class BureauScanForm(forms.Form):
    file = forms.FileField(label=_("stamped scan (PDF, JPG or PNG, at most 20 MB)"))
