import pytest

from audit.models import AuditEvent
from institutions.enums import InstitutionKind


@pytest.mark.parametrize(
    "model",
    [
        "institutions/bureau",
        "institutions/institution",
        "catalog/awardingbody",
        "catalog/major",
        "catalog/certificate",
        "rounds/round",
        "rounds/extension",
    ],
)
def test_admin_lists_and_add_pages_open(client, cast, spring, model):
    client.force_login(cast.provincial_admin)

    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 200
    assert client.get(f"/admin/{model}/?q=示例").status_code == 200


def test_admin_kind_correction_is_audited(client, cast):
    client.force_login(cast.provincial_admin)
    college = cast.college1
    data = {
        "name": college.name,
        "kind": InstitutionKind.APPLIED_UNDERGRAD,
        "bureau": college.bureau_id,
        "ministry_code": college.ministry_code,
        "authority": "",
        "remarks": "",
        "is_example": "on",
        "platform_account": college.platform_account,
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
    }

    response = client.post(f"/admin/institutions/institution/{college.pk}/change/", data)

    assert response.status_code == 302
    college.refresh_from_db()
    assert college.kind == InstitutionKind.APPLIED_UNDERGRAD
    event = AuditEvent.objects.get(action="institution.admin_change")
    assert (event.actor_name, event.before, event.after) == (
        "provincial_admin",
        {"kind": InstitutionKind.HIGHER_VOCATIONAL},
        {"kind": InstitutionKind.APPLIED_UNDERGRAD},
    )


def test_admin_round_add_form_starts_from_the_notice_dates(client, cast):
    client.force_login(cast.provincial_admin)

    response = client.get("/admin/rounds/round/add/?year=2030&season=autumn")

    initial = response.context["adminform"].form.initial
    assert (str(initial["filing_start"]), str(initial["scan_deadline"])) == ("2030-09-13", "2030-09-24")


def test_admin_is_closed_to_other_roles(client, cast):
    client.force_login(cast.provincial_reviewer)

    response = client.get("/admin/institutions/institution/")

    assert response.status_code == 302
