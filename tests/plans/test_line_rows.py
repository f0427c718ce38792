"""The plan page's line rows written in Python (plans/line_rows.py): every text escaped, the edit and delete
buttons and the edit form's row only where the user may edit the plan."""

import pytest
import time_machine
from django.urls import reverse

from plans.enums import PlanStatus
from tests.conftest import make_certificate
from tests.factories import J, draft
from tests.plans.test_views import FILING

NAME = '<b>Tom & "Jerry"</b>'


@pytest.fixture(autouse=True)
def filing_day():
    with time_machine.travel(FILING, tick=False):
        yield


@pytest.fixture
def odd(db):
    return make_certificate(NAME, levels=[J], body='<i>Body & "Co"</i>')


def test_every_text_of_a_row_is_escaped(client, cast, spring, odd):
    plan = draft(cast.school1, spring, [(odd, J, '<u>major & "x"</u>', 30, '<s>remark & "y"</s>', "<c&>")])
    client.force_login(cast.staff)

    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    for text in (NAME, '<i>Body & "Co"</i>', '<u>major & "x"</u>', '<s>remark & "y"</s>', "<c&>"):
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        assert escaped in html
        assert text not in html


def test_edit_and_delete_buttons_only_where_the_user_may_edit(client, cast, spring, odd):
    editable = draft(cast.school1, spring, [(odd, J, "物流管理", 30)])
    submitted = draft(cast.school2, spring, [(odd, J, "物流管理", 30)], status=PlanStatus.BUREAU_REVIEW)
    client.force_login(cast.staff)
    mine = client.get(reverse("plan_detail", args=[editable.pk])).content.decode()
    client.force_login(cast.provincial_admin)
    others = client.get(reverse("plan_detail", args=[submitted.pk])).content.decode()

    line, other = editable.lines.get(), submitted.lines.get()
    assert f'hx-get="{reverse("line_edit", args=[line.pk])}"' in mine
    assert f'hx-post="{reverse("line_delete", args=[line.pk])}"' in mine
    assert f'<tr class="d-none" id="edit-{line.pk}"></tr>' in mine
    assert f'<tr data-line="{other.pk}">' in others
    assert 'data-testid="edit-line"' not in others and f'id="edit-{other.pk}"' not in others
