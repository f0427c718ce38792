from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import SHANGHAI


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("name"), max_length=100, help_text=_("What the token is for, e.g. “nightly export script”.")
    )
    expires_on = forms.DateField(
        label=_("expires after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: the token stops working at the end of this day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return datetime.combine(day, time.max, tzinfo=SHANGHAI)
