"""The rules of the notice (DOMAIN.md §6), one function each, returning violations that name their numbers.

The functions read a `PlanFacts` built once per check (a handful of queries), so the plan page can re-run every
rule on each keystroke. Services enforce them (errors block sign-off and submission); pages show them while drafting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, F, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalog.enums import Level
from catalog.models import CertificateLevel
from core.models import ProvinceSettings
from plans.continuity import LastYear, last_year_for
from plans.enums import Continuity, PlanStatus, ReviewLevel, Severity
from plans.models import ApplicationForm, InstitutionYear, Plan, PlanLine
from rounds.calendar import Window
from rounds.enums import Stage


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
        """The code as shown: R1…R8 as the notice's rules are known, the two form checks by name."""
        return {"FORM": _("Application form"), "REMARK": _("Remark")}.get(self.code, self.code)

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
        lines = list(plan.lines.select_related("certificate__awarding_body").prefetch_related("certificate__majors"))
    institution_id, year = plan.institution_id, plan.round.year
    certificate_ids = {line.certificate_id for line in lines}
    other = year_headcount(institution_id, year, exclude_plan_id=plan.pk)
    lifted = InstitutionYear.objects.filter(institution_id=institution_id, year=year - 1, cap_lifted=True).exists()
    return PlanFacts(
        plan=plan,
        lines=lines,
        last_year=last_year_for(institution_id, year),
        settings=ProvinceSettings.current(),
        other_rounds_headcount=other,
        cap_lifted=lifted,
        forms={form.certificate_id: form for form in plan.forms.all()} if plan.pk else {},
        min_headcounts={
            (cl.certificate_id, cl.level): cl.min_headcount
            for cl in CertificateLevel.objects.filter(certificate_id__in=certificate_ids)
        },
    )


def year_headcount(institution_id: int, year: int, *, exclude_plan_id: int | None = None) -> int:
    """The institution's planned headcount for `year` in plans that left it: the plan of record (approved
    headcount, raised by approved adjustments) for published plans, the asked headcount for plans in review."""
    figure = Case(
        When(plan__status=PlanStatus.PUBLISHED, then=Coalesce("approved_headcount", Value(0))),
        default=F("headcount"),
    )
    lines = PlanLine.objects.filter(
        plan__institution_id=institution_id, plan__round__year=year, plan__status__in=PlanStatus.submitted()
    )
    if exclude_plan_id is not None:
        lines = lines.exclude(plan_id=exclude_plan_id)
    return lines.aggregate(total=Sum(figure))["total"] or 0


def filing_window(plan: Plan) -> Window:
    """Where the institution may act: the filing window, or for a returned plan the returning level's window."""
    stage = {ReviewLevel.BUREAU: Stage.BUREAU_REVIEW, ReviewLevel.PROVINCE: Stage.PROVINCIAL_REVIEW}.get(
        plan.returned_from, Stage.FILING
    )
    return plan.round.window_for(stage, institution=plan.institution)


def _level_name(level: str) -> str:
    return Level(level).chinese


def r1_window(facts: PlanFacts, *, at: datetime) -> list[Violation]:
    window = filing_window(facts.plan)
    if window.is_open(at=at):
        return []
    return [Violation("R1", Severity.ERROR, _("Outside the window: %(window)s.") % {"window": window.describe()})]


def r2_min_headcount(facts: PlanFacts) -> list[Violation]:
    groups: dict[tuple[int, str], list[PlanLine]] = defaultdict(list)
    for line in facts.lines:
        groups[(line.certificate_id, line.level)].append(line)
    violations = []
    for (certificate_id, level), lines in groups.items():
        total = sum(line.headcount for line in lines)
        minimum = facts.min_headcount(certificate_id, level)
        if total < minimum:
            message = _(
                "%(certificate)s (%(level)s) plans %(total)d people in all majors; "
                "the minimum headcount is %(minimum)d."
            ) % {
                "certificate": lines[0].certificate.short_name,
                "level": _level_name(level),
                "total": total,
                "minimum": minimum,
            }
            violations.append(Violation("R2", Severity.ERROR, message, tuple(line.pk for line in lines)))
    return violations


def r3_cap(facts: PlanFacts) -> list[Violation]:
    cap = facts.cap
    if cap is None or facts.year_headcount <= cap:
        return []
    message = _(
        "The plans for %(year)d ask for %(planned)d people (this round %(this)d, other rounds %(other)d), but the "
        "completion rate of %(prior)d was %(rate).1f %% (below %(threshold)s %%), so the cap is %(prior)d's approved "
        "headcount of %(cap)d."
    ) % {
        "year": facts.plan.round.year,
        "planned": facts.year_headcount,
        "this": facts.this_plan_headcount,
        "other": facts.other_rounds_headcount,
        "prior": facts.last_year.year,
        "rate": facts.last_year.completion_rate,
        "threshold": f"{facts.settings.cap_completion_threshold.normalize():f}",
        "cap": cap,
    }
    return [Violation("R3", Severity.ERROR, message)]


def r4_duplicates(facts: PlanFacts) -> list[Violation]:
    seen: dict[tuple, list[PlanLine]] = defaultdict(list)
    for line in facts.lines:
        seen[(line.certificate_id, line.level, line.major_name.strip())].append(line)
    return [
        Violation(
            "R4",
            Severity.ERROR,
            _("%(certificate)s (%(level)s) for the major %(major)s appears %(count)d times; one line each.")
            % {
                "certificate": lines[0].certificate.short_name,
                "level": _level_name(lines[0].level),
                "major": lines[0].major_name,
                "count": len(lines),
            },
            tuple(line.pk for line in lines),
        )
        for lines in seen.values()
        if len(lines) > 1
    ]


def r5_restricted(facts: PlanFacts) -> list[Violation]:
    violations = []
    for certificate_id, lines in _by_certificate(facts.lines).items():
        certificate = lines[0].certificate
        if not certificate.restricted:
            continue
        ids = tuple(line.pk for line in lines)
        values = {"certificate": certificate.short_name, "reason": certificate.restricted_reason}
        if facts.continuity(certificate_id) == Continuity.NEW:
            message = _("%(certificate)s is restricted (%(reason)s): new applications are refused.") % values
            violations.append(Violation("R5", Severity.ERROR, message, ids))
        else:
            message = _("%(certificate)s is restricted (%(reason)s): continuing it needs a justification.") % values
            violations.append(Violation("R5", Severity.WARNING, message, ids, needs_justification=True))
    return violations


def r6_major(facts: PlanFacts) -> list[Violation]:
    violations = []
    for line in facts.lines:
        majors = list(line.certificate.majors.all())
        if not majors:
            continue
        names = {m.name for m in majors} | {m.code for m in majors if m.code}
        if line.major_name.strip() in names or (line.major_code and line.major_code in names):
            continue
        message = _(
            "%(major)s is not one of the majors the catalogue lists for %(certificate)s (%(majors)s): "
            "give a justification."
        ) % {
            "major": line.major_name,
            "certificate": line.certificate.short_name,
            "majors": "、".join(m.name for m in majors),
        }
        violations.append(Violation("R6", Severity.WARNING, message, (line.pk,), needs_justification=True))
    return violations


def r8_registration(facts: PlanFacts) -> list[Violation]:
    if facts.plan.institution.is_registered_on_platform:
        return []
    message = _(
        "%(institution)s has not recorded its national platform registration: register on the national platform "
        "(https://vslc.ncb.edu.cn/) first and record the account; until then the plan can be drafted but not submitted."
    ) % {"institution": facts.plan.institution.name}
    return [Violation("R8", Severity.ERROR, message)]


def forms_complete(facts: PlanFacts) -> list[Violation]:
    """一证书一论证一申报: every new certificate needs a complete application form."""
    violations = []
    for certificate_id, lines in _by_certificate(facts.lines).items():
        if facts.continuity(certificate_id) != Continuity.NEW:
            continue
        form = facts.forms.get(certificate_id)
        missing = form.missing_fields() if form else [_("the whole form")]
        if missing:
            message = _("%(certificate)s is new: its application form is missing %(fields)s.") % {
                "certificate": lines[0].certificate.short_name,
                "fields": "、".join(missing),
            }
            violations.append(Violation("FORM", Severity.ERROR, message, tuple(line.pk for line in lines)))
    return violations


def increase_remarks(facts: PlanFacts) -> list[Violation]:
    """A continuing certificate planned above last year's headcount needs a remark (notice §二)."""
    violations = []
    for certificate_id, lines in _by_certificate(facts.lines).items():
        if facts.continuity(certificate_id) != Continuity.CONTINUING:
            continue
        total, last = sum(line.headcount for line in lines), facts.last_year.headcount_for(certificate_id)
        if total > last and not any(line.remark.strip() for line in lines):
            message = _(
                "%(certificate)s plans %(total)d people, more than last year's %(last)d: explain the increase in the "
                "remark."
            ) % {"certificate": lines[0].certificate.short_name, "total": total, "last": last}
            violations.append(Violation("REMARK", Severity.ERROR, message, tuple(line.pk for line in lines)))
    return violations


def _by_certificate(lines: list[PlanLine]) -> dict[int, list[PlanLine]]:
    grouped: dict[int, list[PlanLine]] = defaultdict(list)
    for line in lines:
        grouped[line.certificate_id].append(line)
    return grouped


def check_facts(facts: PlanFacts, *, at: datetime) -> list[Violation]:
    return [
        *r1_window(facts, at=at),
        *r2_min_headcount(facts),
        *r3_cap(facts),
        *r4_duplicates(facts),
        *r5_restricted(facts),
        *r6_major(facts),
        *r8_registration(facts),
        *forms_complete(facts),
        *increase_remarks(facts),
    ]


def check_plan(plan: Plan, *, at: datetime, lines: list[PlanLine] | None = None) -> list[Violation]:
    """Every rule on `plan` now (or on `lines` in its place)."""
    return check_facts(gather_facts(plan, lines=lines), at=at)


def blocking(violations: list[Violation], lines: list[PlanLine]) -> list[Violation]:
    """What stops sign-off: errors, and warnings whose lines carry no written justification."""
    justified = {line.pk for line in lines if line.justification.strip()}
    return [
        v for v in violations if v.is_error or (v.needs_justification and not all(pk in justified for pk in v.line_ids))
    ]
