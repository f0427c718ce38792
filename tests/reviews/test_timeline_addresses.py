"""Officials' IP addresses on a plan's timeline (page and API) are for provincial roles only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.middleware import current_ip
from audit.models import AuditEvent
from reviews import services
from tests.api.conftest import ApiClient
from tests.reviews.factories import PROVINCE_DAY, in_provincial_review

ADDRESS = "10.20.30.40"
SEES = {"provincial_reviewer": True, "provincial_admin": True, "observer": True}
HIDDEN = {"staff": False, "leader": False, "bureau_reviewer": False}


@pytest.fixture
def returned(cast, spring, logistics):
    """A plan the province returned, from an official's address."""
    plan = in_provincial_review(cast, spring, logistics, institution=cast.school1, headcounts=(40,))
    token = current_ip.set(ADDRESS)
    try:
        services.return_plan(actor=cast.provincial_reviewer, plan=plan, reason="请补充材料", at=PROVINCE_DAY)
    finally:
        current_ip.reset(token)
    assert AuditEvent.objects.get(action="review.return").ip == ADDRESS
    return plan


@pytest.mark.parametrize(("username", "sees"), list((SEES | HIDDEN).items()))
def test_timeline_page_shows_addresses_to_provincial_roles_only(client, cast, returned, username, sees):
    client.force_login(getattr(cast, username))

    page = client.get(reverse("plan_timeline", args=[returned.pk])).content.decode()

    assert (ADDRESS in page, "请补充材料" in page) == (sees, True)


@pytest.mark.parametrize(("username", "sees"), list((SEES | HIDDEN).items()))
def test_timeline_in_the_api_gives_addresses_to_provincial_roles_only(client, cast, returned, username, sees):
    answer = ApiClient(client, getattr(cast, username)).get(f"/plans/{returned.pk}").json()

    returns = [e for e in answer["history"] if e["action"] == "review.return"]
    assert [e["ip"] for e in returns] == [ADDRESS if sees else None]
