"""A second click on publish or on a confirmed bulk approval shows the first click's result, not an error."""

import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from plans.enums import PlanStatus
from reviews import services
from tests.reviews.factories import BUREAU_DAY, PROVINCE_DAY, in_bureau_review, in_provincial_review


def _texts(response) -> list[str]:
    """The messages the page after the redirect shows (read there, so each response has only its own)."""
    return [str(m) for m in response.context["messages"]]


def test_publish_posted_twice_publishes_once_and_shows_success_both_times(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)
    for line in plan.lines.all():
        services.decide_line(actor=cast.provincial_reviewer, line=line, outcome="approve", at=PROVINCE_DAY)
    url = reverse("review_publish", args=[plan.pk])

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        first = client.post(url, follow=True)
        second = client.post(url, follow=True)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert AuditEvent.objects.for_object(plan).filter(action="review.publish").count() == 1
    for response in (first, second):
        assert response.redirect_chain == [(reverse("review_plan", args=[plan.pk]), 302)]
        assert _texts(response) == [f"Decisions on {plan} published."]


def test_publish_of_a_plan_not_ready_is_still_refused(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)  # no line decided

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        response = client.post(reverse("review_publish", args=[plan.pk]))

    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROVINCIAL_REVIEW
    assert not AuditEvent.objects.for_object(plan).filter(action="review.publish").exists()
    assert response.status_code == 302


def test_bulk_confirm_posted_twice_publishes_once_and_shows_success_both_times(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        preview = client.post(reverse("review_bulk_preview"), {"plans": [plan.pk]}).context["preview"]
        data = {"plans": [plan.pk], "fingerprint": preview.fingerprint}
        first = client.post(reverse("review_bulk_confirm"), data, follow=True)
        second = client.post(reverse("review_bulk_confirm"), data, follow=True)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert AuditEvent.objects.for_object(plan).filter(action="review.publish").count() == 1
    for response in (first, second):
        assert response.redirect_chain == [(reverse("review_queue"), 302)]
        assert _texts(response) == ["1 plans approved."]


def test_bulk_confirm_by_the_bureau_posted_twice_approves_once(client, cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)

    with time_machine.travel(BUREAU_DAY, tick=False):
        client.force_login(cast.bureau_reviewer)
        preview = client.post(reverse("review_bulk_preview"), {"plans": [plan.pk]}).context["preview"]
        data = {"plans": [plan.pk], "fingerprint": preview.fingerprint}
        first = client.post(reverse("review_bulk_confirm"), data, follow=True)
        second = client.post(reverse("review_bulk_confirm"), data, follow=True)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROVINCIAL_REVIEW
    assert AuditEvent.objects.for_object(plan).filter(action="review.bureau_approve").count() == 1
    assert [(r.redirect_chain, _texts(r)) for r in (first, second)] == [
        ([(reverse("review_queue"), 302)], ["1 plans approved."])
    ] * 2


def test_publish_button_asks_for_confirmation_first(client, cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)
    for line in plan.lines.all():
        services.decide_line(actor=cast.provincial_reviewer, line=line, outcome="approve", at=PROVINCE_DAY)

    with time_machine.travel(PROVINCE_DAY, tick=False):
        client.force_login(cast.provincial_reviewer)
        page = client.get(reverse("review_plan", args=[plan.pk])).content.decode()

    confirm = "Publish the decisions? The institution sees them at once and they can no longer be changed."
    assert f'action="{reverse("review_publish", args=[plan.pk])}" data-confirm="{confirm}"' in page
