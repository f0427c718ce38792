"""Forms only clean input and hand typed values to the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution
from monitoring import columns
from monitoring.enums import ImportKind, ImportMode
from monitoring.rates import CHECKPOINT_MONTHS

MIN_YEAR, MAX_YEAR = 2019, 2100


def year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 1, MIN_YEAR - 1, -1)]


class LineProgressForm(forms.Form):
    registered = forms.IntegerField(label=_("registered"), min_value=0)
    examined = forms.IntegerField(label=_("examined"), min_value=0)
    passed = forms.IntegerField(label=_("passed"), min_value=0)
    # Implausible figures (monitoring.plausibility) are saved only with a reason; the service decides.
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    kind = forms.ChoiceField(label=_("what the file holds"), choices=ImportKind.choices, widget=forms.RadioSelect)
    year = forms.TypedChoiceField(label=_("year"), coerce=int, choices=year_choices)
    institution = forms.ModelChoiceField(
        label=_("institution"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("Leave empty when the file has a column naming each row's institution."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["kind"].initial = ImportKind.CANDIDATES
        if user.sees_everything:
            self.fields["institution"].queryset = Institution.objects.order_by("bureau_id", "name")
        else:
            del self.fields["institution"]


class MappingForm(forms.Form):
    """One choice per OneX field among the file's headers, what to do with bad rows, and a layout name."""

    mode = forms.ChoiceField(
        label=_("when some rows are bad"), choices=ImportMode.choices, widget=forms.RadioSelect, required=True
    )
    layout_name = forms.CharField(
        label=_("save this mapping as a layout named"),
        max_length=100,
        required=False,
        help_text=_("The next file with the same headers is mapped the same way."),
    )

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        header_choices = [("", "—")] + [(h, h) for h in job.headers if h]
        for field in columns.fields_for(job.kind):
            required = field.required or (field.key == "institution" and job.institution_id is None)
            self.fields[f"map_{field.key}"] = forms.ChoiceField(
                label=field.label, choices=header_choices, required=required, initial=job.mapping.get(field.key, "")
            )
        self.order_fields([f"map_{f.key}" for f in columns.fields_for(job.kind)] + ["mode", "layout_name"])

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("map_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("map_") and value
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CheckpointForm(forms.Form):
    year = forms.TypedChoiceField(label=_("year"), coerce=int, choices=year_choices)
    month = forms.TypedChoiceField(label=_("month"), coerce=int, choices=[(m, f"{m}月") for m in CHECKPOINT_MONTHS])


class CloseForm(forms.Form):
    reviewed = forms.CharField(widget=forms.HiddenInput, max_length=64)


class IdSearchForm(forms.Form):
    """Looking a candidate up by ID number: POSTed, hashed, never in a URL."""

    id_number = forms.CharField(label=_("ID number"), max_length=30)
