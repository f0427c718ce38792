"""Forms only clean input and return typed values; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.enums import Level
from catalog.models import Certificate
from core.forms import BootstrapMixin
from core.text import IdentifierField
from plans.form_rows import Column, RowsField, row_text


class LineForm(BootstrapMixin, forms.Form):
    certificate = forms.ModelChoiceField(Certificate.objects.all(), label=_("certificate"), widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_("level"), choices=Level.choices)
    major_name = IdentifierField(label=_("major"), max_length=100)
    major_code = IdentifierField(label=_("major code"), max_length=20, required=False)
    headcount = forms.IntegerField(label=_("planned headcount"), min_value=1, max_value=100000)
    remark = IdentifierField(label=_("remark"), max_length=500, required=False)
    justification = IdentifierField(label=_("justification for warnings"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].error_messages["invalid_choice"] = _("Choose a certificate from the catalogue.")
        self.fields["certificate"].error_messages["required"] = _("Choose a certificate from the catalogue.")


MAJOR_COLUMNS = [Column("name", _("major")), Column("students", _("enrolled students"), "number")]
TEACHER_COLUMNS = [
    Column("name", _("full name")),
    Column("title", _("professional title")),
    Column("role", _("trained as (teacher / assessor)")),
]
EXPERT_COLUMNS = [
    Column("name", _("full name")),
    Column("title", _("professional title")),
    Column("affiliation", _("affiliation")),
]


class ApplicationFormForm(BootstrapMixin, forms.Form):
    """The 申报表's fields; its lists (majors, teachers and assessors, experts) are table rows (plans.form_rows)."""

    majors = RowsField(label=_("majors and enrolled students"), columns=MAJOR_COLUMNS)
    teachers = RowsField(label=_("trained teachers / assessors"), columns=TEACHER_COLUMNS)
    facilities = forms.CharField(
        label=_("training and exam facilities"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_exam_site = forms.TypedChoiceField(
        label=_("the institution is an exam site"),
        required=False,
        empty_value=None,
        choices=[("", "—"), ("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: v == "yes",
    )
    enterprises = forms.CharField(
        label=_("recognised enterprises"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    training_plan = forms.CharField(label=_("training plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    budget_amount = forms.DecimalField(
        label=_("budget (yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    budget_source = forms.CharField(label=_("budget source"), max_length=200, required=False)
    review_date = forms.DateField(
        label=_("expert review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    experts = RowsField(label=_("experts"), columns=EXPERT_COLUMNS)
    review_conclusion = forms.CharField(
        label=_("expert review conclusion"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_majors(self) -> list[dict]:
        rows = []
        for row in self.cleaned_data["majors"]:
            if not (row["name"] and row["students"].isdigit()):
                raise forms.ValidationError(
                    _("“%(row)s”: give the major and its number of enrolled students.") % {"row": row_text(row)}
                )
            rows.append({"name": row["name"], "students": int(row["students"])})
        return rows

    def clean_experts(self) -> list[dict]:
        for row in self.cleaned_data["experts"]:
            if not (row["title"] and row["affiliation"]):
                raise forms.ValidationError(
                    _("“%(row)s”: give the expert's title and affiliation.") % {"row": row_text(row)}
                )
        return self.cleaned_data["experts"]

    @staticmethod
    def initial_from(form) -> dict:
        if form is None:
            return {}
        return {
            "majors": form.majors,
            "teachers": form.teachers,
            "facilities": form.facilities,
            "is_exam_site": {True: "yes", False: "no"}.get(form.is_exam_site, ""),
            "enterprises": form.enterprises,
            "training_plan": form.training_plan,
            "budget_amount": form.budget_amount,
            "budget_source": form.budget_source,
            "review_date": form.review_date,
            "experts": form.experts,
            "review_conclusion": form.review_conclusion,
        }


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
