"""Builders for adjustment tests: published plans, last year's cap, and requests walked through their steps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from adjustments import services
from adjustments.rules import Change
from catalog.enums import Level
from core.dates import SHANGHAI
from plans.enums import PlanStatus
from plans.models import InstitutionYear, Plan, PlanLine

PUBLISHED = datetime(2027, 4, 15, 12, 0, tzinfo=SHANGHAI)
DAY = datetime(2027, 5, 10, 10, 0, tzinfo=SHANGHAI)  # inside the spring round's adjustment window
J, M, S = Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR


def published(institution, rnd, lines, *, at: datetime = PUBLISHED) -> Plan:
    """A published plan with `lines` = [(certificate, level, major, approved)] (planned = approved)."""
    plan = Plan.objects.create(
        institution=institution, round=rnd, status=PlanStatus.PUBLISHED, submitted_at=at, published_at=at
    )
    for certificate, level, major, approved in lines:
        PlanLine.objects.create(
            plan=plan,
            certificate=certificate,
            level=level,
            major_name=major,
            headcount=approved,
            approved_headcount=approved,
        )
    return plan


def capped(institution, year: int, rate: str = "42.0") -> InstitutionYear:
    """`institution`'s completion rate of `year` (below 50 % caps the next year at `year`'s approved total)."""
    return InstitutionYear.objects.create(institution=institution, year=year, completion_rate=Decimal(rate))


def line(plan: Plan, major: str, level: str = J) -> PlanLine:
    return plan.lines.get(major_name=major, level=level)


def raise_line(plan: Plan, major: str, to: int, level: str = J) -> Change:
    return Change(headcount=to, line_id=line(plan, major, level).pk)


def draft(staff, plan: Plan, *changes: Change, reason: str = "报名人数超过计划", at: datetime = DAY):
    return services.create_request(actor=staff, plan=plan, reason=reason, changes=list(changes), at=at)


def signed(staff, office_head, leader, plan: Plan, *changes: Change, at: datetime = DAY):
    """A request signed by the office head and the leader: in bureau review (secondary) or provincial review."""
    request = draft(staff, plan, *changes, at=at)
    services.send_for_signoff(actor=staff, request=request, at=at)
    services.sign_as_office_head(actor=office_head, request=request, at=at)
    return services.sign_as_leader(actor=leader, request=request, at=at)
