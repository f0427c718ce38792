"""The audit log through the API: searched and exported by the provincial admin only, with the audit page's
criteria; the export is itself audited and spends the pages' export limit."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import record
from core.dates import SHANGHAI

DAY = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def events(cast):
    with time_machine.travel(DAY, tick=False):
        record(actor=cast.staff, action="plan.create", obj=cast.school1, after={"round": "2027年春季"})
        record(actor=cast.bureau_reviewer, action="review.approve", obj=cast.school1, reason="同意")
    with time_machine.travel(DAY.replace(day=5), tick=False):
        record(actor=cast.provincial_reviewer, action="review.decide", obj=cast.college1)


def test_audit_search_filters_like_the_page(api, cast, events):
    admin = api(cast.provincial_admin)

    reviews = admin.get("/audit/events", action="review.").json()
    by_role = admin.get("/audit/events", role="institution_staff").json()
    on_day = admin.get("/audit/events", date_from="2027-04-05", date_to="2027-04-05", action="review").json()
    by_object = admin.get("/audit/events", object=f"institutions.institution#{cast.college1.pk}").json()

    assert [e["action"] for e in reviews["items"]] == ["review.decide", "review.approve"]
    assert [(e["actor"], e["role"], e["after"]) for e in by_role["items"]] == [
        ("staff", "institution_staff", {"round": "2027年春季"})
    ]
    assert [e["action"] for e in on_day["items"]] == ["review.decide"]
    assert [e["action"] for e in by_object["items"]] == ["review.decide"]


def test_audit_search_refuses_other_roles_and_a_backwards_range(api, cast, events):
    refused = {
        name: api(getattr(cast, name)).get("/audit/events").status_code for name in ["provincial_reviewer", "staff"]
    }
    backwards = api(cast.provincial_admin).get("/audit/events", date_from="2027-04-05", date_to="2027-04-01")

    assert refused == {"provincial_reviewer": 403, "staff": 403}
    assert (backwards.status_code, backwards.json()["type"]) == (422, "urn:onex:problem:invalid-input")


def test_audit_export_writes_the_matching_events_and_is_audited(api, cast, events):
    answer = api(cast.provincial_admin).get("/audit/events/export.xlsx", action="review.")

    content = b"".join(answer.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert (answer.status_code, answer["Cache-Control"]) == (200, "no-store")
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["review.approve", "review.decide"]
    export = AuditEvent.objects.get(action="audit.export")
    assert (export.actor, export.before, export.after) == (
        cast.provincial_admin,
        {"criteria": {"action": "review."}},
        {"rows": 2},
    )
    assert api(cast.observer).get("/audit/events/export.xlsx").status_code == 403


def test_audit_export_spends_the_pages_export_limit(api, client, cast, events, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/600"}
    client.force_login(cast.provincial_admin)

    page = client.get(reverse("audit_export"))
    b"".join(page.streaming_content)
    answers = [api(cast.provincial_admin).get("/audit/events/export.xlsx") for _ in "ab"]
    b"".join(answers[0].streaming_content)

    assert (page.status_code, [a.status_code for a in answers]) == (200, [200, 429])
