"""The timeline (办理记录) reads in Chinese: actions by name, fields by label, before → after, people by name."""

from __future__ import annotations

import re
from datetime import datetime

import time_machine
from django.urls import reverse

from core.dates import SHANGHAI
from plans import services as plans
from plans.enums import PlanStatus
from reviews import services as reviews
from tests.conftest import make_certificate
from tests.reviews.factories import BUREAU_DAY, J, plan_in

DAY = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)


def test_timeline_words_actions_fields_values_and_people_in_chinese(client, cast, spring, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    cast.staff.full_name = "李经办"
    cast.staff.save()
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, PlanStatus.DRAFT, [])
    with time_machine.travel(DAY, tick=False):
        line = plans.add_line(
            actor=cast.staff, plan=plan, certificate=logistics, level=J, major_name="物流管理", headcount=30
        )
        plans.update_line(actor=cast.staff, line=line, headcount=35)
    plan.status = PlanStatus.BUREAU_REVIEW
    plan.save()
    with time_machine.travel(BUREAU_DAY, tick=False):
        reviews.return_plan(actor=cast.bureau_reviewer, plan=plan, reason="请补充申报表", at=BUREAU_DAY)
    client.force_login(cast.staff)

    response = client.get(reverse("plan_timeline", args=[plan.pk]))
    shown = re.sub(r"<[^>]+>", " ", response.content.decode())  # what a reader sees, not the markup
    rows = response.context["rows"]

    assert [(r.action, r.who) for r in rows] == [
        ("新增条目", "李经办"),
        ("修改条目", "李经办"),
        ("退回修改", "bureau_reviewer"),
    ]
    assert [(c.label, c.before, c.after) for c in rows[1].changes] == [("申报人数", "30", "35")]
    assert ("证书", "—", "物流管理职业技能等级证书") in [(c.label, c.before, c.after) for c in rows[0].changes]
    assert ("等级", "—", "初级") in [(c.label, c.before, c.after) for c in rows[0].changes]
    assert [(c.label, c.before, c.after) for c in rows[2].changes] == [
        ("状态", "市级初审", "市级退回修改"),
        ("退回方", "—", "市教育局"),
        ("作废的原审核意见", "—", "0"),
    ]
    for internal in ("line.update", "certificate_id", "{'", "junior", "returned_by_bureau", "headcount"):
        assert internal not in shown
