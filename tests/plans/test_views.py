"""The plan pages: scope, htmx workspace, live preview, query counts."""

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import SHANGHAI
from plans.enums import PlanStatus
from plans.models import Plan, PlanLine
from tests.conftest import make_certificate
from tests.factories import J, M, draft

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def filing_day():
    with time_machine.travel(FILING, tick=False):
        yield


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J, M], body="北京中物联物流采购培训中心")


def line_data(cert, **overrides):
    return {
        "certificate": cert.pk,
        "level": J,
        "major_name": "物流管理",
        "major_code": "",
        "headcount": "30",
        "remark": "",
        "justification": "",
    } | overrides


def test_plan_list_offers_to_open_the_round(client, cast, spring):
    client.force_login(cast.staff)

    response = client.get(reverse("plan_list"))

    assert response.status_code == 200
    assert [rnd.pk for rnd, _ in response.context["openable"]] == [spring.pk]


def test_plan_open_creates_the_draft_and_redirects(client, cast, spring):
    client.force_login(cast.staff)

    response = client.post(reverse("plan_open", args=[spring.pk]))

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plan_detail", args=[plan.pk])


def test_line_add_by_htmx_returns_the_workspace_with_the_r2_violation(client, cast, spring, logistics):
    plan = draft(cast.school1, spring)
    client.force_login(cast.staff)

    response = client.post(reverse("line_add", args=[plan.pk]), line_data(logistics, headcount="29"), **HTMX)

    line = PlanLine.objects.get()
    assert response.status_code == 200
    assert response.templates[0].name == "plans/_workspace.html"
    assert [v.code for v in response.context["page"].rows[0].violations] == ["R2", "FORM"]
    assert f'data-violations-for="{line.pk}"' in response.content.decode()


def test_line_add_with_a_forged_certificate_id_changes_nothing(client, cast, spring):
    plan = draft(cast.school1, spring)
    client.force_login(cast.staff)

    response = client.post(
        reverse("line_add", args=[plan.pk]),
        {"certificate": "99999", "level": J, "major_name": "x", "headcount": "30"},
        **HTMX,
    )

    assert response.status_code == 422
    assert PlanLine.objects.count() == 0


def test_line_add_with_a_non_number_headcount_changes_nothing(client, cast, spring, logistics):
    plan = draft(cast.school1, spring)
    client.force_login(cast.staff)

    response = client.post(reverse("line_add", args=[plan.pk]), line_data(logistics, headcount="三十"), **HTMX)

    assert response.status_code == 422
    assert PlanLine.objects.count() == 0


def test_line_add_to_another_institutions_plan_is_404(client, cast, spring, logistics):
    plan = draft(cast.school2, spring)
    client.force_login(cast.staff)

    response = client.post(reverse("line_add", args=[plan.pk]), line_data(logistics), **HTMX)

    assert response.status_code == 404
    assert PlanLine.objects.count() == 0


def test_line_add_by_a_provincial_reviewer_is_403(client, cast, spring, logistics):
    plan = draft(cast.college1, spring)
    client.force_login(cast.provincial_reviewer)

    response = client.post(reverse("line_add", args=[plan.pk]), line_data(logistics), **HTMX)

    assert response.status_code == 403
    assert PlanLine.objects.count() == 0


def test_line_update_and_delete_of_another_institutions_line_are_404(client, cast, spring, logistics):
    plan = draft(cast.school2, spring, [(logistics, J, "物流管理", 30)])
    line = plan.lines.get()
    client.force_login(cast.staff)

    update = client.post(reverse("line_update", args=[line.pk]), line_data(logistics, headcount="99"), **HTMX)
    delete = client.post(reverse("line_delete", args=[line.pk]), **HTMX)

    assert (update.status_code, delete.status_code) == (404, 404)
    assert PlanLine.objects.get().headcount == 30


def test_line_preview_shows_the_violations_of_the_unsaved_line(client, cast, spring, logistics):
    plan = draft(cast.school1, spring)
    client.force_login(cast.staff)

    response = client.post(reverse("line_preview", args=[plan.pk]), line_data(logistics, headcount="12"), **HTMX)

    assert response.status_code == 200
    assert [v.code for v in response.context["preview"]] == ["R2", "FORM"]
    assert PlanLine.objects.count() == 0


def test_certificate_search_by_pinyin_initials_and_awarding_body(client, cast, logistics):
    make_certificate("老年照护职业技能等级证书", body="中国社会福利与养老服务协会")
    client.force_login(cast.staff)

    by_pinyin = client.get(reverse("certificate_search"), {"q": "wlgl"})
    by_body = client.get(reverse("certificate_search"), {"q": "中物联"})

    assert [c.name for c in by_pinyin.context["certificates"]] == ["物流管理职业技能等级证书"]
    assert [c.name for c in by_body.context["certificates"]] == ["物流管理职业技能等级证书"]


def test_certificate_levels_lists_only_offered_levels(client, cast, logistics):
    client.force_login(cast.staff)

    response = client.get(reverse("certificate_levels", args=[logistics.pk]))

    assert [cl.level for cl in response.context["levels"]] == [J, M]


def test_send_for_signoff_page_shows_the_blocking_rule(client, cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 10)])
    client.force_login(cast.staff)

    response = client.post(reverse("plan_send_for_signoff", args=[plan.pk]), follow=True)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert "R2" not in [m.message for m in response.context["messages"]]
    assert len(list(response.context["messages"])) == 1


def test_leader_sees_sign_off_and_staff_do_not(client, cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)], status=PlanStatus.AWAITING_SIGNOFF)

    client.force_login(cast.leader)
    as_leader = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    client.force_login(cast.staff)
    as_staff = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert 'data-testid="sign-off"' in as_leader
    assert 'data-testid="sign-off"' not in as_staff


def test_plan_detail_query_count_is_the_same_at_1_and_3_lines(client, cast, spring):
    certs = [make_certificate(f"证书{i}职业技能等级证书", majors=["物流管理"]) for i in range(3)]
    one = draft(cast.school1, spring, [(certs[0], J, "物流管理", 30)])
    three = draft(cast.college1, spring, [(c, J, "物流管理", 30) for c in certs])

    def count(user, plan):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("plan_detail", args=[plan.pk])).status_code == 200
        return len(ctx.captured_queries)

    count(cast.staff, one)  # warm-up: the settings row and the session are created on first use

    assert count(cast.staff, one) == count(cast.college_staff, three)


def test_line_preview_shows_the_cap_this_line_would_break(client, cast, spring, logistics):
    from tests.factories import completion, published_plan

    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 100)])
    completion(cast.school1, 2026, "42.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 100)])
    client.force_login(cast.staff)

    response = client.post(reverse("line_preview", args=[plan.pk]), line_data(logistics, major_name="电子商务"), **HTMX)

    assert [v.code for v in response.context["preview"]] == ["R3", "REMARK"]


def extension_for(institution, round, *, by):
    """A filing extension to 9 April for `institution`."""
    from rounds.models import Extension

    return Extension.objects.create(
        round=round, stage="filing", institution=institution, until="2027-04-09", reason="系统故障", granted_by=by
    )


def test_plan_detail_shows_the_extension_granted_to_its_institution_only(client, cast, spring):
    extension_for(cast.school1, spring, by=cast.provincial_admin)
    mine = draft(cast.school1, spring)
    other = draft(cast.school2, spring)
    client.force_login(cast.provincial_reviewer)

    shown = client.get(reverse("plan_detail", args=[mine.pk])).context["page"].extensions
    not_shown = client.get(reverse("plan_detail", args=[other.pk])).context["page"].extensions

    assert [e.reason for e in shown] == ["系统故障"]
    assert not_shown == []


def test_plan_detail_reads_the_extensions_cached_and_sees_each_grant_change_and_revocation(client, cast, spring):
    plan = draft(cast.school1, spring)
    client.force_login(cast.staff)

    def shown():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("plan_detail", args=[plan.pk])).context["page"]
        read = sum("rounds_extension" in query["sql"] for query in ctx.captured_queries)
        return [(e.reason, str(e.until)) for e in page.extensions], read

    assert shown() == ([], 1)
    assert shown() == ([], 0)
    extension = extension_for(cast.school1, spring, by=cast.provincial_admin)
    assert shown() == ([("系统故障", "2027-04-09")], 1)
    assert shown() == ([("系统故障", "2027-04-09")], 0)
    extension.until, extension.reason = "2027-04-12", "断电"
    extension.save()
    assert shown() == ([("断电", "2027-04-12")], 1)
    extension.delete()
    assert shown() == ([], 1)
