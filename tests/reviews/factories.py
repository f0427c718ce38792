"""Builders for plans already in review (made directly, so the review tests do not depend on filing)."""

from __future__ import annotations

from datetime import datetime

from catalog.enums import Level
from core.dates import SHANGHAI
from plans.enums import PlanStatus
from plans.models import Plan, PlanLine
from tests.factories import complete_form

FILED = datetime(2027, 4, 6, 16, 0, tzinfo=SHANGHAI)
BUREAU_DAY = datetime(2027, 4, 9, 10, 0, tzinfo=SHANGHAI)  # both review windows open (bureau 8–12, province 8–15)
PROVINCE_DAY = datetime(2027, 4, 14, 10, 0, tzinfo=SHANGHAI)  # only the provincial window open
CLOSED = datetime(2027, 4, 16, 0, 0, tzinfo=SHANGHAI)  # both closed
J, M, S = Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR


def plan_in(institution, rnd, status: str, lines, *, submitted_at: datetime = FILED) -> Plan:
    """A plan in `status` with `lines` = [(certificate, level, major, headcount)] and complete forms."""
    plan = Plan.objects.create(institution=institution, round=rnd, status=status, submitted_at=submitted_at)
    certificates = {}
    for certificate, level, major, headcount in lines:
        PlanLine.objects.create(plan=plan, certificate=certificate, level=level, major_name=major, headcount=headcount)
        certificates[certificate.pk] = certificate
    for certificate in certificates.values():
        complete_form(plan, certificate)
    return plan


def in_bureau_review(cast, rnd, certificate, *, institution=None, headcounts=(40, 35)) -> Plan:
    majors = ["物流管理", "电子商务", "市场营销", "国际贸易"]
    lines = [(certificate, J, majors[i], n) for i, n in enumerate(headcounts)]
    return plan_in(institution or cast.school1, rnd, PlanStatus.BUREAU_REVIEW, lines)


def in_provincial_review(cast, rnd, certificate, *, institution=None, headcounts=(40, 35)) -> Plan:
    majors = ["物流管理", "电子商务", "市场营销", "国际贸易"]
    lines = [(certificate, J, majors[i], n) for i, n in enumerate(headcounts)]
    return plan_in(institution or cast.college1, rnd, PlanStatus.PROVINCIAL_REVIEW, lines)
