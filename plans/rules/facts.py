"""What every rule reads and returns: the facts of one plan, read once, and the violations with their numbers."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, F, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from catalog.enums import Level
from catalog.models import Certificate, Major
from core.models import ProvinceSettings
from plans.continuity import LastYear
from plans.enums import PlanStatus, Severity
from plans.models import ApplicationForm, Plan, PlanLine
from plans.rules.fact_query import fact_rows


def rule_names() -> dict[str, str]:
    """Each rule's name as people know it from the notice (DOMAIN.md §6); the two form checks by their name."""
    return _rule_names(get_language())


@functools.cache
def _rule_names(language: str | None) -> dict[str, str]:
    # Made once per language: a page labels every violation of every line (the active language is `language`).
    return {
        "R1": _("filing window"),
        "R2": pgettext("rule", "minimum headcount"),
        "R3": _("headcount cap"),
        "R4": _("one line per certificate, level and major"),
        "R5": _("restricted certificate"),
        "R6": _("corresponding major"),
        "R7": _("increases only"),
        "R8": pgettext("rule", "national platform registration"),
        "FORM": _("Application form"),
        "REMARK": _("Remark"),
    }


def rule_label(code: str, names: dict[str, str] | None = None) -> str:
    """The code as shown: "R2 开考最低人数", "申报表"; never the bare internal code. A list of many labels passes
    `names` (rule_names(), read once)."""
    name = (names or rule_names()).get(code)
    if name is None:
        return code
    return f"{code} {name}" if code[1:].isdigit() else name


@dataclass(frozen=True)
class Violation:
    code: str  # R1 … R8, FORM (application form incomplete), REMARK (increase without remark)
    severity: str  # Severity
    message: str
    line_ids: tuple[int, ...] = ()
    needs_justification: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def label(self) -> str:
        return rule_label(self.code)

    @property
    def line_id(self) -> int | None:
        return self.line_ids[0] if self.line_ids else None


@dataclass
class PlanFacts:
    """Everything the rules need about one plan, read once."""

    plan: Plan
    lines: list[PlanLine]
    last_year: LastYear
    settings: ProvinceSettings
    other_rounds_headcount: int
    cap_lifted: bool
    forms: dict[int, ApplicationForm] = field(default_factory=dict)
    min_headcounts: dict[tuple[int, str], int | None] = field(default_factory=dict)
    majors: dict[int, list[Major]] = field(default_factory=dict)  # the catalogue's, by certificate (R6)

    def continuity(self, certificate_id: int) -> str:
        return self.last_year.continuity(certificate_id)

    @property
    def this_plan_headcount(self) -> int:
        return sum(line.headcount for line in self.lines)

    @property
    def year_headcount(self) -> int:
        return self.this_plan_headcount + self.other_rounds_headcount

    @property
    def cap(self) -> int | None:
        """Y−1's approved headcount when Y−1's completion rate was below the threshold (R3), else None."""
        rate = self.last_year.completion_rate
        if not self.last_year.has_plan or rate is None or self.cap_lifted:
            return None
        if Decimal(str(rate)) >= self.settings.cap_completion_threshold:
            return None
        return self.last_year.approved_total

    def min_headcount(self, certificate_id: int, level: str) -> int:
        value = self.min_headcounts.get((certificate_id, level))
        return value if value is not None else self.settings.default_min_headcount


def gather_facts(plan: Plan, *, lines: list[PlanLine] | None = None) -> PlanFacts:
    """Read the facts for `plan`; `lines` replaces its saved lines (to preview a change before saving it)."""
    if lines is None:
        lines = list(plan.lines.select_related("certificate__awarding_body"))
    year = plan.round.year
    found = fact_rows(
        institution_id=plan.institution_id,
        year=year,
        plan_id=plan.pk,
        certificate_ids={line.certificate_id for line in lines},
    )
    return PlanFacts(
        plan=plan,
        lines=lines,
        last_year=LastYear.of(year - 1, found.prior, found.rate),
        settings=ProvinceSettings.current(),
        other_rounds_headcount=found.other,
        cap_lifted=found.cap_lifted,
        forms={form.certificate_id: form for form in plan.forms.all()} if plan.pk else {},
        min_headcounts=found.min_headcounts,
        majors=found.majors,
    )


def majors_of(certificate_ids) -> dict[int, list[Major]]:
    """The catalogue's majors of each of `certificate_ids`, by name (one query)."""
    majors: dict[int, list[Major]] = defaultdict(list)
    links = Certificate.majors.through.objects.filter(certificate_id__in=certificate_ids).select_related("major")
    for link in links.order_by("major__name"):
        majors[link.certificate_id].append(link.major)
    return majors


def year_headcount(institution_id: int, year: int, *, exclude_plan_id: int | None = None) -> int:
    """The institution's planned headcount for `year` in plans that left it: the plan of record (approved
    headcount, raised by approved adjustments) for published plans, the asked headcount for plans in review."""
    lines = submitted_lines(institution_id, year, exclude_plan_id=exclude_plan_id)
    return lines.aggregate(total=Sum(submitted_figure()))["total"] or 0


def submitted_lines(institution_id: int, year: int, *, exclude_plan_id: int | None = None) -> QuerySet[PlanLine]:
    """The institution's lines of `year` in plans that left it (those year_headcount counts)."""
    lines = PlanLine.objects.filter(
        plan__institution_id=institution_id, plan__round__year=year, plan__status__in=PlanStatus.submitted()
    )
    return lines if exclude_plan_id is None else lines.exclude(plan_id=exclude_plan_id)


def submitted_figure() -> Case:
    """A submitted line's headcount in year_headcount: approved (0 if none) once published, else as asked."""
    return Case(
        When(plan__status=PlanStatus.PUBLISHED, then=Coalesce("approved_headcount", Value(0))),
        default=F("headcount"),
    )


def by_certificate(lines: list[PlanLine]) -> dict[int, list[PlanLine]]:
    grouped: dict[int, list[PlanLine]] = defaultdict(list)
    for line in lines:
        grouped[line.certificate_id].append(line)
    return grouped


def level_name(level: str) -> str:
    return Level(level).chinese
