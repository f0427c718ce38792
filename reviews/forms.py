"""Forms of the review room: they clean input and return typed values; the services decide."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.models import Certificate
from core.forms import CachedOptionsSelect, ChoicesSelect
from core.fragments import fragment, read_fragments
from institutions.enums import InstitutionKind
from institutions.models import Bureau, Institution
from plans.enums import PlanStatus
from reviews.enums import Outcome
from reviews.queues import QueueFilters
from rounds.enums import Stage
from rounds.models import Round, current_round_id
from rounds.services import extension_refusal

# The queue's option lists read from the database, the same for every reviewer who gets them; dropped when a
# certificate, a bureau or a round changes (reviews.apps). The rounds' labels are translated: one list a language.
CERTIFICATE_OPTIONS = "queue-options:certificates:v1"
BUREAU_OPTIONS = "queue-options:bureaus:v1"
ROUND_OPTIONS = "queue-options:rounds:v1"
ROUND_DATES = "queue-options:rounds:v1:dates"


def round_options_key(language: str | None) -> str:
    return f"{ROUND_OPTIONS}:{language}"


def round_dates(found: dict | None = None) -> dict[int, date]:
    """Every round's id and filing start, cached like the round list (dropped with it, reviews.signals): the queue
    finds the current round and checks the chosen one there rather than in three queries."""
    return fragment(ROUND_DATES, lambda: dict(Round.objects.values_list("pk", "filing_start")), found)


class RoundField(forms.ModelChoiceField):
    """A round's id, checked against the cached rounds (`round_dates`); the queue filters by the id only."""

    found: dict | None = None  # the fragments its form read in one go

    def to_python(self, value) -> int | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            pk = int(value)
        except (TypeError, ValueError):
            pk = None
        if pk not in round_dates(self.found):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return pk


SORTS = [("oldest", _("submitted first")), ("newest", _("submitted last"))]


class QueueFilterForm(forms.Form):
    # Every drop-down is rendered in Python (core.forms.LongSelect): Django's template per <option> was a tenth of
    # the queue's time; those read from the database are cached, those written in the code kept per process.
    round = RoundField(
        Round.objects.all(), required=False, label=_("round"), empty_label=_("all rounds"), widget=CachedOptionsSelect
    )
    bureau = forms.ModelChoiceField(
        Bureau.objects.none(), required=False, label=_("bureau"), widget=CachedOptionsSelect
    )
    kind = forms.ChoiceField(
        choices=[("", "—"), *InstitutionKind.choices], required=False, label=_("kind"), widget=ChoicesSelect
    )
    status = forms.ChoiceField(
        choices=[("", "—"), *PlanStatus.choices], required=False, label=_("status"), widget=ChoicesSelect
    )
    certificate = forms.ModelChoiceField(
        Certificate.objects.only("id", "name").order_by("name"),
        required=False,
        label=_("certificate"),
        widget=CachedOptionsSelect,
    )
    text = forms.CharField(max_length=100, required=False, label=_("search"))
    has_warnings = forms.BooleanField(required=False, label=_("has warnings"))
    sort = forms.ChoiceField(choices=SORTS, required=False, label=_("sort"), widget=ChoicesSelect)

    def __init__(self, data, *, user, today):
        # The current round unless the reviewer chose one (or "all rounds", an empty value).
        # The cached lists in one cache read, not one each.
        found = read_fragments([CERTIFICATE_OPTIONS, BUREAU_OPTIONS, round_options_key(get_language()), ROUND_DATES])
        data = data.copy()
        if "round" not in data:
            current = current_round_id(round_dates(found), today=today)
            data["round"] = current or ""
        super().__init__(data)
        self.fields["bureau"].queryset = Bureau.objects.for_user(user)
        self.fields["certificate"].widget.cache_key = CERTIFICATE_OPTIONS
        self.fields["round"].widget.cache_key = round_options_key(get_language())
        if user.sees_everything:  # every bureau; others see their own (one option), not cached
            self.fields["bureau"].widget.cache_key = BUREAU_OPTIONS
        for name in ("round", "bureau", "certificate"):
            if name in self.fields:
                self.fields[name].widget.found = found
        self.fields["round"].found = found
        if user.is_bureau_reviewer:
            del self.fields["bureau"]
        for field in self.fields.values():
            field.widget.attrs["class"] = _css(field)

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            round=data["round"],
            text=data["text"],
            bureau=data["bureau"].pk if data.get("bureau") else None,
            kind=data["kind"],
            status=data["status"],
            certificate=data["certificate"].pk if data["certificate"] else None,
            has_warnings=data["has_warnings"],
            newest_first=data["sort"] == "newest",
        )


def _css(field) -> str:
    if isinstance(field, forms.BooleanField):
        return "form-check-input"
    return "form-control form-control-sm" if isinstance(field, forms.CharField) else "form-select form-select-sm"


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, label=_("decision"))
    headcount = forms.IntegerField(min_value=0, required=False, label=_("headcount"))
    reason = forms.CharField(max_length=1000, required=False, label=_("reason"))

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.REDUCE and data.get("headcount") is None:
            self.add_error("headcount", _("Give the reduced headcount."))
        if data.get("outcome") in Outcome.needs_reason() and not data.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for reducing or rejecting a line."))
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, label=_("reason for return"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class ApproveForm(forms.Form):
    reason = forms.CharField(max_length=1000, required=False, label=_("remark"))


def plan_ids(data) -> list[int]:
    """The plan ids ticked in a bulk form; anything else is ignored (the service keeps only the actor's scope)."""
    return sorted({int(value) for value in data.getlist("plans") if value.isdigit()})


class ExtensionForm(forms.Form):
    round = forms.ModelChoiceField(Round.objects.all(), label=_("round"))
    stage = forms.ChoiceField(choices=Stage.choices, label=_("stage"))
    institution = forms.ModelChoiceField(
        Institution.objects.select_related("bureau").order_by("bureau_id", "name"),
        required=False,
        label=_("institution"),
    )
    bureau = forms.ModelChoiceField(Bureau.objects.all(), required=False, label=_("bureau"))
    until = forms.DateField(label=_("until (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=2000, label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")

    def clean(self):
        data = super().clean()
        if bool(data.get("institution")) == bool(data.get("bureau")):
            self.add_error(None, _("Choose one institution or one bureau, not both."))
        rnd, stage, until = data.get("round"), data.get("stage"), data.get("until")
        if rnd and stage and until and (refusal := extension_refusal(round=rnd, stage=stage, until=until)):
            self.add_error("until", refusal)
        if not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason."))
        return data
