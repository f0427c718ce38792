"""The provincial admin searches the whole audit log and exports it to Excel (user text stays text)."""

from datetime import datetime, timedelta
from io import BytesIO

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from audit.services import record
from core.dates import SHANGHAI

DAY1 = datetime(2027, 4, 3, 23, 30, tzinfo=SHANGHAI)
DAY2 = datetime(2027, 4, 4, 0, 30, tzinfo=SHANGHAI)


def make_events(cast):
    with time_machine.travel(DAY1, tick=False):
        record(actor=cast.staff, action="plan.send_for_signoff", obj=cast.school1, after={"s": 1}, reason="a")
    with time_machine.travel(DAY2, tick=False):
        record(actor=cast.leader, action="plan.sign_off", obj=cast.school1, after={"s": 2}, reason="=HYPERLINK(1)")
        record(actor=cast.bureau_reviewer, action="review.return", obj=cast.college1, after={"s": 3}, reason="c")


def searched(client, **params) -> list[str]:
    response = client.get(reverse("audit_search"), params)
    assert response.status_code == 200
    return [event.action for event in response.context["page"].object_list]


def test_audit_search_filters_by_actor_action_object_and_shanghai_dates(client, cast):
    make_events(cast)
    client.force_login(cast.provincial_admin)

    assert searched(client, actor="leader") == ["plan.sign_off"]
    assert searched(client, action="plan.") == ["plan.sign_off", "plan.send_for_signoff"]
    assert searched(client, object=cast.college1.name) == ["review.return"]
    assert searched(client, object=f"institutions.institution#{cast.college1.pk}") == ["review.return"]
    assert searched(client, role="bureau_reviewer") == ["review.return"]
    assert searched(client, date_from="2027-04-03", date_to="2027-04-03") == ["plan.send_for_signoff"]
    assert searched(client, date_from="2027-04-04") == ["review.return", "plan.sign_off"]


def test_audit_export_writes_every_matching_event_with_user_text_as_text(client, cast):
    make_events(cast)
    client.force_login(cast.provincial_admin)

    response = client.get(reverse("audit_export"), {"action": "plan."})
    content = b"".join(response.streaming_content)

    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "操作人", "角色", "来源IP", "操作")
    assert [(r[1], r[4], r[10]) for r in rows[1:]] == [
        ("staff", "plan.send_for_signoff", "a"),
        ("leader", "plan.sign_off", "=HYPERLINK(1)"),
    ]
    assert rows[1][0] == DAY1.replace(tzinfo=None)
    assert sheet.cell(row=3, column=11).data_type == "s"
    assert response["Content-Disposition"].startswith('attachment; filename="')


def test_audit_export_is_itself_audited(client, cast):
    make_events(cast)
    client.force_login(cast.provincial_admin)

    response = client.get(reverse("audit_export"), {"actor": "staff"})
    b"".join(response.streaming_content)

    exported = AuditEvent.objects.get(action="audit.export")
    assert (exported.actor_name, exported.before, exported.after) == (
        "provincial_admin",
        {"criteria": {"actor": "staff"}},
        {"rows": 1},
    )


def test_audit_search_rejects_an_inverted_date_range(client, cast):
    client.force_login(cast.provincial_admin)

    response = client.get(reverse("audit_search"), {"date_from": "2027-04-05", "date_to": "2027-04-01"})

    assert response.context["form"].errors == {"__all__": ["The start date is after the end date."]}


def test_audit_search_pages_through_a_long_log(client, cast):
    start = datetime(2027, 1, 1, tzinfo=SHANGHAI)
    for minute in range(101):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            record(actor=cast.staff, action="line.add", obj=cast.school1, after={"n": minute}, reason="x")
    client.force_login(cast.provincial_admin)

    second = client.get(reverse("audit_search"), {"action": "line.", "page": 2})

    assert [e.after for e in second.context["page"].object_list] == [{"n": 0}]
