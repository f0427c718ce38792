"""An institution's contacts (联系人, 电话): kept on its page by its own office (audited), printed on 附件1/2/3."""

from __future__ import annotations

from django.urls import reverse

from audit.models import AuditEvent
from documents.application_form import header_fields
from documents.institution_summary import InstitutionSummary
from institutions.models import Institution
from plans.models import Plan
from tests.documents.readers import row_starting, workbook


def test_contacts_kept_by_the_institution_office_are_audited(client, cast):
    client.force_login(cast.staff)
    url = reverse("institution_contacts", args=[cast.school1.pk])

    response = client.post(url, {"contact_name": " 王老师 ", "contact_phone": "0551-12345678"})

    assert response.status_code == 302
    school = Institution.objects.get(pk=cast.school1.pk)
    assert (school.contact_name, school.contact_phone) == ("王老师", "0551-12345678")
    event = AuditEvent.objects.get(action="institution.contacts")
    assert (event.before, event.after) == (
        {"contact_name": "", "contact_phone": ""},
        {"contact_name": "王老师", "contact_phone": "0551-12345678"},
    )
    page = client.get(reverse("institution_detail", args=[cast.school1.pk])).content.decode()
    assert 'data-testid="save-contacts"' in page
    assert "王老师 0551-12345678" in page


def test_contacts_saved_twice_unchanged_are_audited_once(client, cast):
    client.force_login(cast.office_head)
    url = reverse("institution_contacts", args=[cast.school1.pk])

    for _ in range(2):
        client.post(url, {"contact_name": "王老师", "contact_phone": "0551-12345678"})

    assert AuditEvent.objects.filter(action="institution.contacts").count() == 1


def test_contacts_of_another_institution_or_by_a_reviewer_are_refused(client, cast):
    url = reverse("institution_contacts", args=[cast.school1.pk])
    statuses = {}
    for name in ("other_staff", "leader", "bureau_reviewer", "provincial_reviewer"):
        client.force_login(getattr(cast, name))
        statuses[name] = client.post(url, {"contact_name": "冒名", "contact_phone": "110"}).status_code

    assert statuses == {"other_staff": 404, "leader": 403, "bureau_reviewer": 403, "provincial_reviewer": 403}
    assert Institution.objects.get(pk=cast.school1.pk).contact_name == ""


def test_contacts_phone_with_letters_is_refused_with_the_rule(client, cast):
    client.force_login(cast.staff)

    response = client.post(
        reverse("institution_contacts", args=[cast.school1.pk]), {"contact_name": "王老师", "contact_phone": "call me"}
    )

    assert response.status_code == 400
    assert "digits, spaces, +, - and brackets only" in response.content.decode()


def test_contacts_are_printed_on_the_attachments(cast, spring):
    cast.school1.contact_name, cast.school1.contact_phone = "王老师", "0551-12345678"
    cast.school1.save()
    plan = Plan.objects.create(institution=cast.school1, round=spring)

    form_pairs = dict(header_fields(plan).pairs)
    summary = workbook(InstitutionSummary(plan).render())["校级汇总表"]

    assert (form_pairs["联系人"], form_pairs["联系电话"]) == ("王老师", "0551-12345678")
    assert [v for v in row_starting(summary, "院校代码") if v is not None][2:] == [
        "联系人",
        "王老师",
        "联系电话",
        "0551-12345678",
    ]
