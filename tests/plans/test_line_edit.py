"""A line's edit form is loaded when its edit button is clicked (plans.views.line_edit): the plan page carries no
form per line, only the button and an empty row the form replaces."""

import pytest
import time_machine
from django.urls import reverse

from plans.enums import PlanStatus
from tests.conftest import make_certificate
from tests.factories import J, M, draft
from tests.plans.test_views import FILING, HTMX


@pytest.fixture(autouse=True)
def filing_day():
    with time_machine.travel(FILING, tick=False):
        yield


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J, M])


def test_plan_page_has_an_edit_button_per_line_and_no_form(client, cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30), (logistics, J, "电子商务", 20)])
    client.force_login(cast.staff)

    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    edit_urls = [reverse("line_edit", args=[line.pk]) for line in plan.lines.all()]
    assert [url in html for url in edit_urls] == [True, True]
    assert reverse("line_update", args=[plan.lines.first().pk]) not in html


def test_line_edit_gives_the_form_filled_with_the_line(client, cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])
    line = plan.lines.get()
    client.force_login(cast.staff)

    response = client.get(reverse("line_edit", args=[line.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="edit-{line.pk}"' in html and f'hx-post="{reverse("line_update", args=[line.pk])}"' in html
    assert 'name="headcount" type="number" min="1" value="30"' in html


def test_line_edit_of_another_institutions_line_is_404_and_of_a_submitted_plan_403(client, cast, spring, logistics):
    other = draft(cast.school2, spring, [(logistics, J, "物流管理", 30)]).lines.get()
    submitted = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])
    submitted.status = PlanStatus.BUREAU_REVIEW
    submitted.save()
    client.force_login(cast.staff)

    codes = [
        client.get(reverse("line_edit", args=[line.pk]), **HTMX).status_code for line in (other, submitted.lines.get())
    ]

    assert codes == [404, 403]
