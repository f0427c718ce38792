"""The province adopts the bureau's recommendations on a plan in one step, after a preview (issue 15 item 8)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from plans.enums import ReviewLevel
from plans.errors import ReviewError, RuleError
from reviews import services
from reviews.enums import Outcome
from reviews.models import LineDecision
from tests.reviews.factories import BUREAU_DAY, PROVINCE_DAY, in_provincial_review


def recommended(cast, spring, logistics, outcomes, *, headcounts=(40, 35)):
    """A secondary school's plan the bureau approved on, with its recommendations: [(outcome, headcount, reason)]."""
    plan = in_provincial_review(cast, spring, logistics, institution=cast.school1, headcounts=headcounts)
    for line, (outcome, headcount, reason) in zip(plan.lines.order_by("pk"), outcomes, strict=True):
        LineDecision.objects.create(
            plan=plan,
            line=line,
            level=ReviewLevel.BUREAU,
            outcome=outcome,
            headcount=headcount,
            reason=reason,
            decided_by=cast.bureau_reviewer,
            decided_at=BUREAU_DAY,
        )
    return plan


def held(plan) -> list[tuple[str, int, str]]:
    decisions = LineDecision.objects.current().filter(plan=plan, level=ReviewLevel.PROVINCE).order_by("line_id")
    return [(d.outcome, d.headcount, d.reason) for d in decisions]


def test_adopt_recommendations_decides_every_line_as_the_bureau_recommended(cast, spring, logistics):
    plan = recommended(cast, spring, logistics, [(Outcome.REDUCE, 30, "实训条件不足"), (Outcome.APPROVE, 35, "")])
    preview = services.adopt_recommendations_preview(actor=cast.provincial_reviewer, plan=plan, at=PROVINCE_DAY)

    decisions = services.adopt_recommendations(
        actor=cast.provincial_reviewer, plan=plan, fingerprint=preview.fingerprint, at=PROVINCE_DAY
    )

    assert len(decisions) == 2
    assert held(plan) == [(Outcome.REDUCE, 30, "实训条件不足"), (Outcome.APPROVE, 35, "")]
    assert AuditEvent.objects.filter(action="review.decide_line").count() == 2


def test_adopt_recommendations_leaves_lines_already_decided_the_same_way(cast, spring, logistics):
    plan = recommended(cast, spring, logistics, [(Outcome.REDUCE, 30, "实训条件不足"), (Outcome.APPROVE, 35, "")])
    first, second = plan.lines.order_by("pk")
    services.decide_line(actor=cast.provincial_reviewer, line=second, outcome=Outcome.APPROVE, at=PROVINCE_DAY)
    preview = services.adopt_recommendations_preview(actor=cast.provincial_reviewer, plan=plan, at=PROVINCE_DAY)

    services.adopt_recommendations(
        actor=cast.provincial_reviewer, plan=plan, fingerprint=preview.fingerprint, at=PROVINCE_DAY
    )

    assert [al.line for al in preview.adopted] == [first]
    assert AuditEvent.objects.filter(action="review.decide_line").count() == 2  # one by hand, one adopted


def test_adopt_recommendations_refuses_a_stale_preview(cast, spring, logistics):
    plan = recommended(cast, spring, logistics, [(Outcome.APPROVE, 40, ""), (Outcome.APPROVE, 35, "")])
    preview = services.adopt_recommendations_preview(actor=cast.provincial_reviewer, plan=plan, at=PROVINCE_DAY)
    first = plan.lines.order_by("pk").first()
    services.decide_line(
        actor=cast.provincial_reviewer, line=first, outcome=Outcome.REJECT, reason="不符合条件", at=PROVINCE_DAY
    )

    with pytest.raises(ReviewError):
        services.adopt_recommendations(
            actor=cast.provincial_reviewer, plan=plan, fingerprint=preview.fingerprint, at=PROVINCE_DAY
        )
    assert held(plan) == [(Outcome.REJECT, 0, "不符合条件")]


def test_adopt_recommendations_refused_when_a_rejection_leaves_the_level_below_r2(cast, spring, logistics):
    # 20 + 15 people at the junior level; rejecting the 20 leaves 15, below the minimum of 30.
    plan = recommended(
        cast, spring, logistics, [(Outcome.REJECT, 0, "不符合条件"), (Outcome.APPROVE, 15, "")], headcounts=(20, 15)
    )
    preview = services.adopt_recommendations_preview(actor=cast.provincial_reviewer, plan=plan, at=PROVINCE_DAY)

    with pytest.raises(RuleError) as refused:
        services.adopt_recommendations(
            actor=cast.provincial_reviewer, plan=plan, fingerprint=preview.fingerprint, at=PROVINCE_DAY
        )

    assert [v.code for v in preview.blockers] == [v.code for v in refused.value.violations] == ["R2"]
    assert held(plan) == []


def test_adopt_recommendations_is_the_provinces_step(cast, spring, logistics):
    plan = recommended(cast, spring, logistics, [(Outcome.APPROVE, 40, ""), (Outcome.APPROVE, 35, "")])

    with pytest.raises(ReviewError):
        services.adopt_recommendations_preview(actor=cast.bureau_reviewer, plan=plan, at=PROVINCE_DAY)


def test_adopt_pages_preview_then_confirm(client, cast, spring, logistics, time_machine):
    plan = recommended(cast, spring, logistics, [(Outcome.REDUCE, 30, "实训条件不足"), (Outcome.APPROVE, 35, "")])
    time_machine.move_to(PROVINCE_DAY)
    client.force_login(cast.provincial_reviewer)

    page = client.get(reverse("review_plan", args=[plan.pk]))
    preview = client.get(reverse("review_adopt", args=[plan.pk]))
    nothing_yet = held(plan)
    confirmed = client.post(
        reverse("review_adopt_confirm", args=[plan.pk]), {"fingerprint": preview.context["preview"].fingerprint}
    )

    assert reverse("review_adopt", args=[plan.pk]) in page.text
    assert preview.status_code == 200 and nothing_yet == []
    assert confirmed.status_code == 302
    assert held(plan) == [(Outcome.REDUCE, 30, "实训条件不足"), (Outcome.APPROVE, 35, "")]


def test_adopt_pages_are_refused_to_the_bureau(client, cast, spring, logistics):
    plan = recommended(cast, spring, logistics, [(Outcome.APPROVE, 40, ""), (Outcome.APPROVE, 35, "")])
    client.force_login(cast.bureau_reviewer)

    assert client.get(reverse("review_adopt", args=[plan.pk])).status_code == 403
    assert client.post(reverse("review_adopt_confirm", args=[plan.pk]), {"fingerprint": "x"}).status_code == 403


def test_decision_forms_carry_the_rest_of_their_level_for_the_r2_warning(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics, headcounts=(20, 15))
    first, second = plan.lines.order_by("pk")
    services.decide_line(actor=cast.provincial_reviewer, line=second, outcome=Outcome.APPROVE, at=PROVINCE_DAY)
    client.force_login(cast.provincial_reviewer)

    page = client.get(reverse("review_plan", args=[plan.pk])).text

    assert f'data-testid="decide-{first.pk}"\n          data-r2-others="15" data-r2-min="30" data-planned="20"' in page
    assert f'data-testid="decide-{second.pk}"\n          data-r2-others="20" data-r2-min="30" data-planned="15"' in page
    assert "data-r2-warning hidden" in page


def test_adopt_confirmed_twice_shows_the_first_result(client, cast, spring, logistics, time_machine):
    plan = recommended(cast, spring, logistics, [(Outcome.REDUCE, 30, "实训条件不足"), (Outcome.APPROVE, 35, "")])
    time_machine.move_to(PROVINCE_DAY)
    client.force_login(cast.provincial_reviewer)
    fingerprint = client.get(reverse("review_adopt", args=[plan.pk])).context["preview"].fingerprint
    url = reverse("review_adopt_confirm", args=[plan.pk])

    first = client.post(url, {"fingerprint": fingerprint})
    second = client.post(url, {"fingerprint": fingerprint}, follow=True)

    assert first.url == second.redirect_chain[0][0] == reverse("review_plan", args=[plan.pk])
    told = [str(m) for m in second.context["messages"]]
    assert told == [f"Adopted the bureau's recommendations on {plan} (2 lines)."] * 2  # each click, one success
    assert AuditEvent.objects.filter(action="review.decide_line").count() == 2
