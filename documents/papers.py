"""Which papers a plan (or a bureau) owes for a round, and which stamped scans came back.

A plan owes its summary sheet (附件2) and one application form (附件1) per new certificate;
a bureau with submitted secondary schools owes its stamped summary to the province. A paper
is missing while no scan of it has been received. Every function here runs a fixed number
of queries whatever the number of plans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from documents.enums import DocumentKind
from documents.models import Scan
from documents.queries import SUBMITTED, last_year_headcounts
from institutions.enums import InstitutionKind
from institutions.models import Bureau
from plans.models import ApplicationForm, Plan, PlanLine
from rounds.models import Round


@dataclass
class Paper:
    kind: str
    title: str
    certificate_id: int | None = None
    has_form: bool = True  # an application form can only be generated once it has been filled in
    scans: list[Scan] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return not self.scans

    @property
    def latest(self) -> Scan | None:
        return self.scans[0] if self.scans else None


@dataclass
class PlanPapers:
    plan: Plan
    papers: list[Paper]

    @property
    def missing(self) -> list[Paper]:
        return [p for p in self.papers if p.missing]


def _scans_by_key(scans) -> dict[tuple, list[Scan]]:
    grouped: dict[tuple, list[Scan]] = defaultdict(list)
    for scan in scans:
        grouped[(scan.plan_id, scan.bureau_id, scan.kind, scan.certificate_id)].append(scan)
    return grouped


def papers_for_plans(plans: list[Plan]) -> list[PlanPapers]:
    """The papers of each plan (all of one round), with their scans, newest first."""
    if not plans:
        return []
    ids = [p.pk for p in plans]
    headcounts = last_year_headcounts(plans[0].round.year, {p.institution_id for p in plans})
    certificates: dict[int, dict[int, str]] = defaultdict(dict)
    lines = PlanLine.objects.filter(plan_id__in=ids).order_by("id")
    for plan_id, certificate_id, name in lines.values_list("plan_id", "certificate_id", "certificate__name"):
        certificates[plan_id][certificate_id] = name
    forms = set(ApplicationForm.objects.filter(plan_id__in=ids).values_list("plan_id", "certificate_id"))
    scans = _scans_by_key(
        Scan.objects.filter(plan_id__in=ids).select_related("uploaded_by").order_by("-uploaded_at", "-id")
    )
    result = []
    for plan in plans:
        papers = [
            Paper(
                DocumentKind.INSTITUTION_SUMMARY,
                "校级汇总表（附件2）",
                scans=scans.get((plan.pk, None, DocumentKind.INSTITUTION_SUMMARY, None), []),
            )
        ]
        for certificate_id, name in certificates[plan.pk].items():
            if (plan.institution_id, certificate_id) in headcounts:
                continue  # continuing: a remark in the summary sheet, no form (notice §二)
            papers.append(
                Paper(
                    DocumentKind.APPLICATION_FORM,
                    f"申报表（附件1）：{name}",
                    certificate_id=certificate_id,
                    has_form=(plan.pk, certificate_id) in forms,
                    scans=scans.get((plan.pk, None, DocumentKind.APPLICATION_FORM, certificate_id), []),
                )
            )
        result.append(PlanPapers(plan, papers))
    return result


def submitted_plans(round_: Round, *, statuses=SUBMITTED, **filters) -> list[Plan]:
    plans = Plan.objects.filter(round=round_, status__in=statuses, **filters)
    return list(
        plans.select_related("institution__bureau", "round").order_by("institution__bureau_id", "institution__name")
    )


def bureaus_owing(round_: Round, *, statuses=SUBMITTED) -> list[Bureau]:
    """Bureaus with at least one submitted secondary school in `round_`: each owes its stamped summary."""
    ids = Plan.objects.filter(
        round=round_, status__in=statuses, institution__kind__in=InstitutionKind.secondary()
    ).values("institution__bureau_id")
    return list(Bureau.objects.filter(pk__in=ids).order_by("id"))


def bureau_papers(round_: Round, bureaus: list[Bureau]) -> list[tuple[Bureau, Paper]]:
    scans = _scans_by_key(
        Scan.objects.filter(round=round_, bureau__in=bureaus).select_related("uploaded_by").order_by("-uploaded_at")
    )
    return [
        (
            bureau,
            Paper(
                DocumentKind.BUREAU_SUMMARY,
                "市级汇总表",
                scans=scans.get((None, bureau.pk, DocumentKind.BUREAU_SUMMARY, None), []),
            ),
        )
        for bureau in bureaus
    ]
