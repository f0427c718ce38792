"""The whole filing year through the API alone: a school files a plan that breaks R2, is told so in
problem+json, fixes it, fills the application form, sends it for sign-off; its leader signs off; the bureau and
the province review, decide and publish; the school reads its plan of record and downloads its summary sheet."""

from __future__ import annotations

import io

import time_machine
from openpyxl import load_workbook

from tests.api.conftest import BUREAU_DAY, FILING_DAY, PROVINCE_DAY
from tests.conftest import make_certificate
from tests.reviews.factories import J

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM = {
    "majors": [{"name": "物流管理", "students": 120}],
    "teachers": [{"name": "张老师", "title": "讲师", "role": "考评员"}],
    "facilities": "物流实训室两间",
    "is_exam_site": True,
    "enterprises": "京东物流",
    "training_plan": "每周4学时，共16周",
    "budget_amount": "50000",
    "budget_source": "学校专项经费",
    "review_date": "2027-03-20",
    "experts": [{"name": "李教授", "title": "教授", "affiliation": "安徽大学"}],
    "review_conclusion": "同意申报",
}


def test_scenario_a_school_files_and_the_province_publishes_through_the_api(api, cast, spring):
    make_certificate("物流管理职业技能等级证书", levels=[J])
    staff, leader = api(cast.staff, language="zh-hans"), api(cast.leader)
    bureau, province = api(cast.bureau_reviewer), api(cast.provincial_reviewer)

    with time_machine.travel(FILING_DAY, tick=False):
        [round_] = [r for r in staff.get("/rounds").json()["items"] if r["year"] == 2027 and r["season"] == "spring"]
        [certificate] = staff.get("/certificates", q="wlgl").json()["items"]
        opened = staff.post("/plans", {"round_id": round_["id"]})
        plan_id = opened.json()["id"]
        added = staff.post(
            f"/plans/{plan_id}/lines",
            {"certificate_id": certificate["id"], "level": "junior", "major_name": "物流管理", "headcount": 20},
        )
        line_id = added.json()["id"]
        refused = staff.post(f"/plans/{plan_id}/actions/send_for_signoff")
        fixed = staff.patch(f"/plans/{plan_id}/lines/{line_id}", {"headcount": 35})
        form = staff.put(f"/plans/{plan_id}/forms/{certificate['id']}", FORM)
        sent = staff.post(f"/plans/{plan_id}/actions/send_for_signoff")
        signed = leader.post(f"/plans/{plan_id}/actions/sign_off")

    with time_machine.travel(BUREAU_DAY, tick=False):
        recommended = bureau.post(
            f"/plans/{plan_id}/actions/recommend", {"decisions": [{"line_id": line_id, "outcome": "approve"}]}
        )
        approved = bureau.post(f"/plans/{plan_id}/actions/approve", {"reason": "材料齐全"})

    with time_machine.travel(PROVINCE_DAY, tick=False):
        held = staff.get(f"/plans/{plan_id}").json()["lines"][0]["decisions"]
        decided = province.post(
            f"/plans/{plan_id}/actions/decide",
            {"decisions": [{"line_id": line_id, "outcome": "reduce", "headcount": 32, "reason": "实训工位不足"}]},
        )
        hidden = staff.get(f"/plans/{plan_id}").json()["lines"][0]["decisions"]
        published = province.post(f"/plans/{plan_id}/actions/publish")
        final = staff.get(f"/plans/{plan_id}").json()
        sheet = staff.get(f"/plans/{plan_id}/documents/summary.xlsx")

    assert (opened.status_code, added.status_code) == (201, 201)
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json; charset=utf-8"
    problem = refused.json()
    assert (problem["type"], problem["status"]) == ("urn:onex:problem:rule-violation", 422)
    r2 = [v for v in problem["violations"] if v["rule"] == "R2"]
    assert r2 == [
        {
            "rule": "R2",
            "severity": "error",
            "message": "物流管理（初级）各专业合计申报20人，低于开考最低人数限额30人。",
            "line": line_id,
            "lines": [line_id],
            "needs_justification": False,
        }
    ]
    assert (fixed.status_code, fixed.json()["headcount"]) == (200, 35)
    assert (form.status_code, form.json()["complete"]) == (200, True)
    assert (sent.status_code, sent.json()["plan"]["status"]) == (200, "awaiting_signoff")
    assert (signed.status_code, signed.json()["plan"]["status"]) == (200, "bureau_review")
    assert recommended.status_code == 200
    assert (approved.status_code, approved.json()["plan"]["status"]) == (200, "provincial_review")
    assert held == []  # the bureau's recommendation is not the institution's to see
    assert decided.status_code == 200
    assert hidden == []  # a held decision neither
    assert (published.status_code, published.json()["plan"]["status"]) == (200, "published")
    assert final["status"] == "published"
    assert [(ln["headcount"], ln["approved_headcount"]) for ln in final["lines"]] == [(35, 32)]
    assert [(d["level"], d["outcome"], d["headcount"]) for d in final["lines"][0]["decisions"]] == [
        ("province", "reduce", 32)
    ]
    assert (sheet.status_code, sheet["Content-Type"]) == (200, XLSX)
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows()]
    assert any("物流管理" in row and 35 in row for row in rows)
    assert [e["action"] for e in final["history"]] == [
        "plan.create",
        "line.add",
        "line.update",
        "form.save",
        "plan.send_for_signoff",
        "plan.sign_off",
        "review.bureau_approve",
        "review.publish",
    ]
