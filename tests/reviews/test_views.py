"""The review pages: the plan under review, decisions, timeline, bulk approval, extensions."""

from datetime import date

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from institutions.models import Institution
from plans.enums import PlanStatus
from reviews import services
from reviews.enums import Outcome
from reviews.models import LineDecision
from rounds.enums import Stage
from rounds.models import Extension
from rounds.services import grant_extension
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.reviews.factories import BUREAU_DAY, PROVINCE_DAY, J, in_bureau_review, in_provincial_review, plan_in


def test_review_page_shows_lines_continuity_last_year_checks_and_forms(client, cast, spring, logistics):
    continuing = make_certificate("智能财税职业技能等级证书", levels=[J], majors=["会计事务"])
    published_plan(cast.school1, 2026, [(continuing, J, "会计事务", 45)])
    plan = in_bureau_review(cast, spring, logistics)
    plan.lines.create(certificate=continuing, level=J, major_name="财务管理", headcount=40, justification="专业相近")

    with time_machine.travel(BUREAU_DAY, tick=False):
        client.force_login(cast.bureau_reviewer)
        response = client.get(reverse("review_plan", args=[plan.pk]))

    rows = {r["row"].line.major_name: r["row"] for r in response.context["rows"]}
    assert {name: (row.continuity, row.last_year_headcount) for name, row in rows.items()} == {
        "物流管理": ("new", 0),
        "电子商务": ("new", 0),
        "财务管理": ("continuing", 45),
    }
    assert [v.code for v in rows["财务管理"].violations] == ["R6"]
    assert [certificate.name for certificate, _form, _details in response.context["forms"]] == [logistics.name]
    assert response.context["can_act"] is True
    html = response.content.decode()
    assert "物流实训室两间" in html
    assert 'data-testid="approve"' in html


def test_review_page_shows_the_extension_granted_to_the_plans_bureau(client, cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)
    grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage=Stage.BUREAU_REVIEW,
        until=date(2027, 4, 14),
        reason="系统故障延期",
        bureau=cast.bureau1,
    )

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.bureau_reviewer)
        response = client.get(reverse("review_plan", args=[plan.pk]))

    html = response.content.decode()
    assert "系统故障延期" in html
    assert "已延期至2027年04月14日" in html
    assert response.context["can_act"] is True


def test_observer_reads_the_review_page_without_actions(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.observer)
        response = client.get(reverse("review_plan", args=[plan.pk]))

    assert response.status_code == 200
    assert response.context["can_act"] is False
    assert 'data-testid="plan-actions"' not in response.content.decode()


def test_decide_line_through_the_page_holds_the_decision(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)
    line = plan.lines.first()

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        response = client.post(
            reverse("review_decide_line", args=[line.pk]), {"outcome": "reduce", "headcount": "30", "reason": "压减"}
        )

    assert response.status_code == 302
    assert list(LineDecision.objects.values_list("outcome", "headcount", "published_at")) == [("reduce", 30, None)]


def test_decide_line_form_without_a_reason_is_refused(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        response = client.post(
            reverse("review_decide_line", args=[plan.lines.first().pk]), {"outcome": "reject"}, follow=True
        )

    assert LineDecision.objects.count() == 0
    assert [str(m) for m in response.context["messages"]] == ["Give a reason for reducing or rejecting a line."]


def test_decisions_page_hides_held_decisions_from_the_institution_until_published(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics, headcounts=(40,))
    services.decide_line(
        actor=cast.provincial_reviewer,
        line=plan.lines.first(),
        outcome=Outcome.REDUCE,
        headcount=32,
        reason="压减",
        at=PROVINCE_DAY,
    )
    client.force_login(cast.college_staff)

    held = client.get(reverse("review_decisions", args=[plan.pk]))
    services.publish(actor=cast.provincial_reviewer, plan=plan, at=PROVINCE_DAY)
    published = client.get(reverse("review_decisions", args=[plan.pk]))

    assert list(held.context["decisions"]) == []
    assert "压减" not in held.content.decode()
    assert [(d.outcome, d.headcount, d.reason) for d in published.context["decisions"]] == [("reduce", 32, "压减")]


def test_timeline_lists_every_event_of_the_plan_in_order(client, cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics, headcounts=(40,))
    services.recommend_line(actor=cast.bureau_reviewer, line=plan.lines.first(), outcome="approve", at=BUREAU_DAY)
    services.approve_by_bureau(actor=cast.bureau_reviewer, plan=plan, at=BUREAU_DAY)
    client.force_login(cast.provincial_reviewer)

    response = client.get(reverse("plan_timeline", args=[plan.pk]))

    assert [e.action for e in response.context["events"]] == ["review.recommend_line", "review.bureau_approve"]


def test_timeline_of_an_institution_leaves_out_the_reviewers_working(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics, headcounts=(40,))
    services.decide_line(
        actor=cast.provincial_reviewer, line=plan.lines.first(), outcome="reject", reason="不予批准", at=PROVINCE_DAY
    )
    services.return_plan(actor=cast.provincial_reviewer, plan=plan, reason="请补充材料", at=PROVINCE_DAY)
    client.force_login(cast.college_staff)

    response = client.get(reverse("plan_timeline", args=[plan.pk]))

    assert [e.action for e in response.context["events"]] == ["review.return"]
    assert "不予批准" not in response.content.decode()


def test_bulk_preview_lists_plans_lines_headcounts_and_blockers_and_changes_nothing(client, cast, spring, logistics):
    ready = in_provincial_review(cast, spring, logistics, headcounts=(40, 35))
    blocked = in_provincial_review(cast, spring, logistics, institution=cast.college2, headcounts=(10,))
    events = AuditEvent.objects.count()

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        response = client.post(reverse("review_bulk_preview"), {"plans": [ready.pk, blocked.pk]})

    items = {item.plan.pk: item for item in response.context["preview"].items}
    assert [(bl.line.major_name, bl.headcount, bl.outcome) for bl in items[ready.pk].lines] == [
        ("物流管理", 40, "approve"),
        ("电子商务", 35, "approve"),
    ]
    assert items[ready.pk].blockers == []
    assert [b.split(" ")[0] for b in items[blocked.pk].blockers] == ["R2"]
    assert AuditEvent.objects.count() == events
    assert set(LineDecision.objects.values_list("pk", flat=True)) == set()


def test_bulk_confirm_publishes_the_ready_plans_and_leaves_the_blocked_ones(client, cast, spring, logistics):
    ready = in_provincial_review(cast, spring, logistics, headcounts=(40, 35))
    services.decide_line(
        actor=cast.provincial_reviewer,
        line=ready.lines.order_by("id").first(),
        outcome="reduce",
        headcount=30,
        reason="压减",
        at=PROVINCE_DAY,
    )
    blocked = in_provincial_review(cast, spring, logistics, institution=cast.college2, headcounts=(10,))

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        preview = client.post(reverse("review_bulk_preview"), {"plans": [ready.pk, blocked.pk]}).context["preview"]
        response = client.post(
            reverse("review_bulk_confirm"), {"plans": [ready.pk, blocked.pk], "fingerprint": preview.fingerprint}
        )

    ready.refresh_from_db()
    blocked.refresh_from_db()
    assert response.status_code == 302
    assert (ready.status, blocked.status) == (PlanStatus.PUBLISHED, PlanStatus.PROVINCIAL_REVIEW)
    assert list(ready.lines.order_by("id").values_list("approved_headcount", flat=True)) == [30, 35]


def test_bulk_confirm_of_a_stale_preview_is_refused_and_changes_nothing(client, cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)

    with time_machine.travel(BUREAU_DAY, tick=False):
        client.force_login(cast.bureau_reviewer)
        preview = client.post(reverse("review_bulk_preview"), {"plans": [plan.pk]}).context["preview"]
        plan.lines.filter(major_name="电子商务").update(headcount=50)  # changed after the preview
        response = client.post(reverse("review_bulk_confirm"), {"plans": [plan.pk], "fingerprint": preview.fingerprint})

    plan.refresh_from_db()
    assert response.status_code == 409
    assert plan.status == PlanStatus.BUREAU_REVIEW


def test_bulk_approve_by_the_bureau_sends_every_ready_plan_on(cast, spring, logistics):
    first = in_bureau_review(cast, spring, logistics)
    other_school = Institution.objects.create(
        name="示例合肥第二职业学校", kind=cast.school1.kind, bureau=cast.bureau1, platform_account="x"
    )
    second = plan_in(other_school, spring, PlanStatus.BUREAU_REVIEW, [(logistics, J, "物流管理", 40)])
    preview = services.bulk_approve_preview(actor=cast.bureau_reviewer, plan_ids=[first.pk, second.pk], at=BUREAU_DAY)

    done = services.bulk_approve(
        actor=cast.bureau_reviewer, plan_ids=[first.pk, second.pk], fingerprint=preview.fingerprint, at=BUREAU_DAY
    )

    assert sorted(p.pk for p in done) == sorted([first.pk, second.pk])
    assert AuditEvent.objects.filter(action="review.bureau_approve").count() == 2


def test_extension_page_grants_an_extension_shown_on_the_list(client, cast, spring):
    client.force_login(cast.provincial_admin)

    response = client.post(
        reverse("review_extensions"),
        {
            "round": spring.pk,
            "stage": Stage.PROVINCIAL_REVIEW,
            "institution": cast.college1.pk,
            "until": "2027-04-18",
            "reason": "材料补报",
        },
        follow=True,
    )

    assert list(Extension.objects.values_list("institution__name", "stage", "until", "reason")) == [
        (cast.college1.name, "provincial_review", date(2027, 4, 18), "材料补报")
    ]
    assert "材料补报" in response.content.decode()
    assert AuditEvent.objects.filter(action="extension.grant").count() == 1


def test_extension_form_refuses_two_targets_and_a_date_inside_the_window(client, cast, spring):
    client.force_login(cast.provincial_admin)

    response = client.post(
        reverse("review_extensions"),
        {
            "round": spring.pk,
            "stage": Stage.BUREAU_REVIEW,
            "institution": cast.school1.pk,
            "bureau": cast.bureau1.pk,
            "until": "2027-04-10",
            "reason": "x",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Choose one institution or one bureau, not both."],
        "until": ["The window already runs until 2027-04-12."],
    }
    assert Extension.objects.count() == 0


def test_review_page_query_count_does_not_grow_with_the_lines(client, cast, spring, logistics):
    one = in_provincial_review(cast, spring, logistics, headcounts=(40,))
    three = in_provincial_review(cast, spring, logistics, institution=cast.college2, headcounts=(40, 35, 30))
    for plan in (one, three):
        for line in plan.lines.all():
            services.decide_line(actor=cast.provincial_reviewer, line=line, outcome="approve", at=PROVINCE_DAY)
    counts = []
    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        for plan in (one, three):
            client.get(reverse("review_plan", args=[plan.pk]))  # stores the plan's check once
            with CaptureQueriesContext(connection) as captured:
                client.get(reverse("review_plan", args=[plan.pk]))
            counts.append(len(captured))

    assert counts[0] == counts[1]


def _granted(cast, spring):
    return grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage=Stage.PROVINCIAL_REVIEW,
        until=date(2027, 4, 18),
        reason="材料补报",
        institution=cast.college1,
        bureau=None,
    )


def test_extension_page_revokes_with_a_reason_audited_and_listed_no_more(client, cast, spring):
    extension = _granted(cast, spring)
    client.force_login(cast.provincial_admin)
    page = client.get(reverse("review_extensions")).content.decode()
    assert reverse("review_extension_revoke", args=[extension.pk]) in page

    response = client.post(reverse("review_extension_revoke", args=[extension.pk]), {"reason": "误批"}, follow=True)

    assert not Extension.objects.exists()
    event = AuditEvent.objects.get(action="extension.revoke")
    assert (event.reason, event.before["until"]) == ("误批", "2027-04-18")
    assert "材料补报" not in response.content.decode()


def test_extension_revoke_without_a_reason_is_refused_and_changes_nothing(client, cast, spring):
    extension = _granted(cast, spring)
    client.force_login(cast.provincial_admin)

    response = client.post(reverse("review_extension_revoke", args=[extension.pk]), {"reason": "  "}, follow=True)

    assert Extension.objects.filter(pk=extension.pk).exists()
    assert not AuditEvent.objects.filter(action="extension.revoke").exists()
    assert [str(m) for m in response.context["messages"]] == ["Give a reason."]


def test_extension_revoke_is_the_provincial_admins_alone(client, cast, spring):
    extension = _granted(cast, spring)
    client.force_login(cast.provincial_reviewer)

    response = client.post(reverse("review_extension_revoke", args=[extension.pk]), {"reason": "误批"})

    assert response.status_code == 403
    assert Extension.objects.filter(pk=extension.pk).exists()
