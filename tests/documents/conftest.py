from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import translation

from catalog.models import Certificate
from plans.enums import PlanStatus
from plans.models import Plan
from tests.conftest import make_certificate
from tests.documents.builders import WEB_FORM
from tests.factories import J, M, complete_form, draft, last_year


@pytest.fixture(autouse=True)
def english(settings):
    """Messages in their English msgids, whatever translations exist (documents stay Chinese either way)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@dataclass
class Known:
    """school1's spring 2027 plan: a continuing certificate (2 lines) and a new one (1 line, with its form)."""

    plan: Plan
    logistics: Certificate  # continuing: 45 approved in 2026
    web: Certificate  # new this year


@pytest.fixture
def known(cast, spring) -> Known:
    school = cast.school1
    school.contact_name, school.contact_phone = "王老师", "0551-12345678"
    school.save()
    logistics = make_certificate("物流管理职业技能等级证书", body="北京中物联物流采购培训中心")
    web = make_certificate("Web前端开发职业技能等级证书", body="工业和信息化部教育与考试中心")
    last_year(school, 2026, [(logistics, J, "物流管理", 45)], rate="62.5")
    plan = draft(
        school,
        spring,
        [
            (logistics, J, "物流管理", 40, "较上年减少，按实际报名"),
            (logistics, M, "物流管理", 30, "", "530802"),
            (web, J, "计算机应用技术", 35, "", "510201"),
        ],
        status=PlanStatus.BUREAU_REVIEW,
    )
    complete_form(plan, web, **WEB_FORM)
    return Known(plan=plan, logistics=logistics, web=web)
