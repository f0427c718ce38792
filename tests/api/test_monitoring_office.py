"""The office's monitoring through the API: candidate lists and the reveal (audited, limited on the pages'
counters), the dashboard's figures, the checkpoint report's files, the year-end close and a cap lifted."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from core.dates import SHANGHAI
from monitoring import crypto, idnumbers, services
from monitoring.models import Candidate
from plans.models import InstitutionYear
from tests.adjustments.factories import J, published
from tests.conftest import make_certificate
from tests.monitoring.factories import id_number

TEST_KEY = "b25leC10ZXN0LWtleS1vbmx5LWZvci10ZXN0cy0wMDA="  # the monitoring tests' key: base64 of 32 bytes
JUNE = datetime(2027, 6, 30, 12, 0, tzinfo=SHANGHAI)
pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture(autouse=True)
def id_key(monkeypatch):
    monkeypatch.delenv("ONEX_ID_KEY_FILE", raising=False)
    monkeypatch.setenv("ONEX_ID_KEY", TEST_KEY)
    crypto.forget_keys()
    yield
    crypto.forget_keys()


@pytest.fixture
def approved_line(cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    return published(cast.school1, spring, [(certificate, J, "物流管理", 40)]).lines.get()


def candidate(line, name: str = "张三丰") -> Candidate:
    number = id_number()
    return Candidate.objects.create(
        line=line,
        year=2027,
        certificate=line.certificate,
        level=line.level,
        id_hash=crypto.id_hash(number),
        sealed=crypto.seal(name, number),
        id_masked=idnumbers.mask(number),
        name_masked=name[0] + "**",
        exam_date=date(2027, 5, 10),
        result="passed",
    )


def test_candidates_are_listed_masked_in_scope_and_each_page_is_audited(api, cast, approved_line):
    person = candidate(approved_line)
    path = f"/monitoring/lines/{approved_line.pk}/candidates"

    listed = api(cast.bureau_reviewer).get(path)
    hidden = {name: api(getattr(cast, name)).get(path).status_code for name in ["other_staff", "other_bureau_reviewer"]}

    assert listed.status_code == 200
    assert listed.json()["items"] == [
        {
            "id": person.pk,
            "line_id": approved_line.pk,
            "year": 2027,
            "name_masked": "张**",
            "id_masked": person.id_masked,
            "exam_date": "2027-05-10",
            "result": "passed",
            "certificate_number": "",
        }
    ]
    assert hidden == {"other_staff": 404, "other_bureau_reviewer": 404}
    views = AuditEvent.objects.filter(action="monitoring.candidates.view")
    assert [(e.actor_name, e.after) for e in views] == [("bureau_reviewer", {"page": 1, "shown": 1})]


def test_candidates_pages_are_no_larger_than_the_pages(api, cast, approved_line):
    answer = api(cast.staff).get(f"/monitoring/lines/{approved_line.pk}/candidates", limit=51)

    assert answer.status_code == 422


def test_candidates_list_spends_the_pages_counter_then_answers_429(api, client, cast, approved_line, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "candidates": "2/600"}
    candidate(approved_line)
    path = f"/monitoring/lines/{approved_line.pk}/candidates"
    caller = api(cast.observer)
    client.force_login(cast.observer)

    page = client.get(reverse("monitoring:line_candidates", args=[approved_line.pk])).status_code
    first = caller.get(path).status_code
    refused = caller.get(path)

    assert (page, first, refused.status_code, refused["Content-Type"]) == (
        200,
        200,
        429,
        "application/problem+json; charset=utf-8",
    )
    assert int(refused["Retry-After"]) > 0
    assert AuditEvent.objects.filter(action="monitoring.candidates.view").count() == 2


def test_reveal_is_the_provincial_admins_with_a_reason_audited_and_not_cached(api, cast, approved_line):
    person = candidate(approved_line)
    path = f"/monitoring/candidates/{person.pk}/reveal"

    refused = api(cast.provincial_reviewer).post(path, {"reason": "核对"})
    blank = api(cast.provincial_admin).post(path, {"reason": "  "})
    missing = api(cast.provincial_admin).post("/monitoring/candidates/999999/reveal", {"reason": "核对"})
    revealed = api(cast.provincial_admin).post(path, {"reason": "考生申诉核对身份"})

    assert (refused.status_code, blank.status_code, missing.status_code) == (403, 422, 404)
    assert revealed.status_code == 200
    assert revealed.json()["name"] == "张三丰"
    assert idnumbers.mask(revealed.json()["id_number"]) == person.id_masked
    assert revealed["Cache-Control"] == "no-store"
    events = AuditEvent.objects.filter(action="monitoring.candidate.reveal")
    assert [(e.actor_name, e.reason) for e in events] == [("provincial_admin", "考生申诉核对身份")]


def test_reveal_spends_the_reveal_limit(api, cast, approved_line, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reveal": "1/3600"}
    person = candidate(approved_line)
    caller = api(cast.provincial_admin)

    answers = [caller.post(f"/monitoring/candidates/{person.pk}/reveal", {"reason": "核对"}).status_code for _ in "ab"]

    assert answers == [200, 429]
    assert AuditEvent.objects.filter(action="monitoring.candidate.reveal").count() == 1


def test_dashboard_gives_the_figures_in_scope(api, cast, approved_line):
    services.record_line_progress(
        actor=cast.staff, line=approved_line, counts=services.Counts(registered=40, examined=20, passed=10)
    )

    mine = api(cast.bureau_reviewer).get("/monitoring/dashboard", year=2027).json()
    other = api(cast.other_bureau_reviewer).get("/monitoring/dashboard", year=2027).json()

    assert (mine["total"]["approved"], mine["total"]["examined"], str(mine["total"]["completion"])) == (40, 20, "50.0")
    assert other["total"]["approved"] == 0
    assert [f["name"] for f in mine["figures"]] == ["bureaus", "kinds", "certificates", "trend", "funnel"]
    bureaus = mine["figures"][0]["rows"]
    assert [(row["label"], row["key"], row["examined"]) for row in bureaus] == [("合肥市", cast.bureau1.pk, 20)]


def _checkpoint(api, cast) -> int:
    with time_machine.travel(JUNE, tick=False):
        return api(cast.provincial_reviewer).post("/monitoring/checkpoints", {"year": 2027, "month": 6}).json()["id"]


def test_checkpoint_report_downloads_as_excel_and_pdf_for_bureaus_and_the_province(api, cast, approved_line):
    checkpoint_id = _checkpoint(api, cast)
    path = f"/monitoring/checkpoints/{checkpoint_id}/report"

    xlsx = api(cast.bureau_reviewer).get(f"{path}.xlsx")
    pdf = api(cast.provincial_admin).get(f"{path}.pdf")
    refused = api(cast.staff).get(f"{path}.xlsx")
    missing = api(cast.provincial_admin).get("/monitoring/checkpoints/999999/report.pdf")

    assert (xlsx.status_code, xlsx.content[:2], xlsx["Cache-Control"]) == (200, b"PK", "no-store")
    assert "filename*=UTF-8''2027%E5%B9%B46%E6%9C%88" in xlsx["Content-Disposition"]
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:4]) == (200, "application/pdf", b"%PDF")
    assert (refused.status_code, missing.status_code) == (403, 404)


def test_checkpoint_report_download_spends_the_pages_export_limit(api, client, cast, approved_line, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/600"}
    checkpoint_id = _checkpoint(api, cast)
    client.force_login(cast.provincial_admin)

    page = client.get(reverse("monitoring:report_xlsx", args=[checkpoint_id])).status_code
    answers = [api(cast.provincial_admin).get(f"/monitoring/checkpoints/{checkpoint_id}/report.xlsx") for _ in "ab"]

    assert (page, [a.status_code for a in answers]) == (200, [200, 429])
    assert answers[1]["Retry-After"] != ""


def _progress(cast, line, examined: int) -> None:
    services.record_line_progress(
        actor=cast.staff, line=line, counts=services.Counts(registered=examined, examined=examined, passed=examined)
    )


def test_year_end_is_reviewed_then_closed_once_by_the_office(api, cast, approved_line):
    _progress(cast, approved_line, 10)
    office = api(cast.provincial_reviewer)

    review = office.get("/monitoring/year-end/2027").json()
    refused = {name: api(getattr(cast, name)).get("/monitoring/year-end/2027").status_code for name in ["staff"]}
    stale = office.post("/monitoring/year-end/2027/close", {"reviewed": "0" * 64})
    closed = office.post("/monitoring/year-end/2027/close", {"reviewed": review["reviewed"]})
    again = office.post("/monitoring/year-end/2027/close", {"reviewed": review["reviewed"]})
    other = api(cast.provincial_admin).post("/monitoring/year-end/2027/close", {"reviewed": review["reviewed"]})
    observer = api(cast.observer).post("/monitoring/year-end/2027/close", {"reviewed": review["reviewed"]})

    assert [(row["institution_id"], row["rate"], row["capped"]) for row in review["items"]] == [
        (cast.school1.pk, "25.000000", True)
    ]
    assert (review["count"], review["closed"]) == (1, None)
    assert refused == {"staff": 403}
    assert (stale.status_code, stale.json()["type"]) == (409, "urn:onex:problem:step-refused")
    assert (closed.status_code, again.status_code, again.json()["id"]) == (201, 200, closed.json()["id"])
    assert (other.status_code, observer.status_code) == (409, 403)
    assert InstitutionYear.objects.get(institution=cast.school1, year=2027).completion_rate == 25
    assert office.get("/monitoring/year-end/2027").json()["closed"]["id"] == closed.json()["id"]


def test_a_cap_is_lifted_by_the_provincial_admin_with_a_reason_once(api, cast, approved_line):
    path = f"/monitoring/year-end/2027/caps/{cast.school1.pk}/lift"
    reason = {"reason": "新校区投入使用"}

    refused = api(cast.provincial_reviewer).post(path, reason)
    blank = api(cast.provincial_admin).post(path, {"reason": ""})
    lifted = api(cast.provincial_admin).post(path, reason)
    again = api(cast.provincial_admin).post(path, reason)
    missing = api(cast.provincial_admin).post("/monitoring/year-end/2027/caps/999999/lift", reason)

    assert (refused.status_code, blank.status_code, again.status_code, missing.status_code) == (403, 422, 409, 404)
    assert lifted.json() == {
        "institution_id": cast.school1.pk,
        "year": 2027,
        "cap_lifted": True,
        "cap_lift_reason": "新校区投入使用",
    }
    assert AuditEvent.objects.filter(action="monitoring.cap.lift").count() == 1
