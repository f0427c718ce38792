"""Builders for adjustment tests: published plans, last year's cap, and requests walked through their steps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import partial

from adjustments import services
from adjustments.rules import Change
from catalog.enums import Level
from core.dates import SHANGHAI
from plans.models import InstitutionYear, Plan, PlanLine
from tests.factories import published_plan

PUBLISHED = datetime(2027, 4, 15, 12, 0, tzinfo=SHANGHAI)
DAY = datetime(2027, 5, 10, 10, 0, tzinfo=SHANGHAI)  # inside the spring round's adjustment window
J, M, S = Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR


# The adjustment tests' plans were published at PUBLISHED (their adjustment window opens then).
published = partial(published_plan, at=PUBLISHED)


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
