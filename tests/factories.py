"""The test factories every room's tests share: plans (drafted, in review or published), last year's figures,
completion rates, application forms."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from catalog.enums import Level
from plans.enums import PlanStatus
from plans.models import ApplicationForm, InstitutionYear, Plan, PlanLine
from rounds.models import Round
from tests.conftest import make_round


def published_plan(institution, rnd: Round | int, lines, *, season: str = "spring", at: datetime | None = None) -> Plan:
    """A published plan with `lines` = [(certificate, level, major, approved_headcount)] (planned = approved).

    `rnd` is a round, or a year (its `season` round, made when missing); `at` is when the plan was submitted and
    published (unset when not given).
    """
    if isinstance(rnd, int):
        rnd = Round.objects.filter(year=rnd, season=season).first() or make_round(rnd, season)
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


def completion(institution, year: int, rate: str) -> InstitutionYear:
    return InstitutionYear.objects.create(institution=institution, year=year, completion_rate=Decimal(rate))


def last_year(institution, year: int, lines, *, rate: str | None = None) -> Plan:
    """A published plan of `year` with `lines` = [(certificate, level, major, approved)], and its completion rate."""
    plan = published_plan(institution, year, lines)
    if rate is not None:
        completion(institution, year, rate)
    return plan


def draft(institution, rnd, lines=(), *, status: str = PlanStatus.DRAFT) -> Plan:
    """A plan in `status` (a draft unless told) with `lines` = [(certificate, level, major, headcount)], or
    (…, remark) or (…, remark, major code)."""
    plan = Plan.objects.create(institution=institution, round=rnd, status=status)
    for certificate, level, major, headcount, *rest in lines:
        PlanLine.objects.create(
            plan=plan,
            certificate=certificate,
            level=level,
            major_name=major,
            headcount=headcount,
            remark=rest[0] if rest else "",
            major_code=rest[1] if len(rest) > 1 else "",
        )
    return plan


def complete_form(plan, certificate, **overrides) -> ApplicationForm:
    """A complete 申报表 of `certificate` in `plan`; `overrides` replace any of its fields."""
    fields = {
        "majors": [{"name": "物流管理", "students": 120}],
        "teachers": [{"name": "张老师", "title": "讲师", "role": "考评员"}],
        "facilities": "物流实训室两间",
        "is_exam_site": True,
        "enterprises": "京东物流",
        "training_plan": "每周4学时，共16周",
        "budget_amount": Decimal("50000"),
        "budget_source": "学校专项经费",
        "review_date": date(2027, 3, 20),
        "experts": [{"name": "李教授", "title": "教授", "affiliation": "安徽大学"}],
        "review_conclusion": "同意申报",
    }
    return ApplicationForm.objects.create(plan=plan, certificate=certificate, **(fields | overrides))


J, M, S = Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR
