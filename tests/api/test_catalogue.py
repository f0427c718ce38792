"""The catalogue through the API: everyone reads it, the provincial admin keeps it — awarding bodies, certificates,
levels and minimum headcounts, restriction with a reason, majors — each change audited, every other role 403."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from catalog.models import AwardingBody, Certificate
from tests.conftest import make_certificate
from tests.reviews.factories import J


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J])


def test_certificates_create_with_its_levels_and_body(api, cast):
    admin = api(cast.provincial_admin)
    body = admin.post("/awarding-bodies", {"name": "北京中物联物流采购培训中心"}).json()

    answer = admin.post(
        "/certificates",
        {
            "name": "冷链物流服务与管理职业技能等级证书",
            "batch": 3,
            "awarding_body_id": body["id"],
            "levels": [{"level": "junior", "min_headcount": 20}, {"level": "senior"}],
        },
    )

    assert answer.status_code == 201
    made = answer.json()
    assert (made["awarding_body"], made["batch"]) == ("北京中物联物流采购培训中心", 3)
    assert made["levels"] == [{"level": "junior", "min_headcount": 20}, {"level": "senior", "min_headcount": None}]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"catalog.awarding_body", "catalog.certificate"} <= actions


def test_catalogue_writes_refuse_a_taken_name_and_other_roles(api, cast, logistics):
    bodies = AwardingBody.objects.count()
    taken = api(cast.provincial_admin).post("/certificates", {"name": logistics.name, "levels": [{"level": "junior"}]})
    reviewer = api(cast.provincial_reviewer).post("/awarding-bodies", {"name": "某组织"})
    staff = api(cast.staff).put(f"/certificates/{logistics.pk}/restriction", {"restricted": True, "reason": "暂停"})

    assert (taken.status_code, reviewer.status_code, staff.status_code) == (409, 403, 403)
    assert (Certificate.objects.count(), AwardingBody.objects.count()) == (1, bodies)
    assert not Certificate.objects.get().restricted


def test_certificate_restriction_needs_a_reason_and_is_audited(api, cast, logistics):
    admin = api(cast.provincial_admin)

    bare = admin.put(f"/certificates/{logistics.pk}/restriction", {"restricted": True})
    marked = admin.put(f"/certificates/{logistics.pk}/restriction", {"restricted": True, "reason": "证书暂停"})
    read = api(cast.staff).get(f"/certificates/{logistics.pk}").json()

    assert (bare.status_code, marked.status_code) == (409, 200)
    assert (read["restricted"], read["restricted_reason"]) == (True, "证书暂停")
    event = AuditEvent.objects.get(action="catalog.restriction")
    assert (event.before, event.after) == (
        {"restricted": False, "restricted_reason": ""},
        {"restricted": True, "restricted_reason": "证书暂停"},
    )


def test_certificate_levels_update_sets_a_minimum_and_offers_a_new_level(api, cast, logistics):
    admin = api(cast.provincial_admin)

    admin.put(f"/certificates/{logistics.pk}/levels/junior", {"min_headcount": 15})
    answer = admin.put(f"/certificates/{logistics.pk}/levels/intermediate", {"min_headcount": None})

    assert answer.json()["levels"] == [
        {"level": "junior", "min_headcount": 15},
        {"level": "intermediate", "min_headcount": None},
    ]
    actions = list(AuditEvent.objects.filter(action__startswith="catalog.").values_list("action", flat=True))
    assert sorted(actions) == ["catalog.level", "catalog.min_headcount"]


def test_certificate_majors_update_replaces_the_list_with_majors_made_first(api, cast, logistics):
    admin = api(cast.provincial_admin)
    major = admin.post("/majors", {"name": "现代物流管理", "code": "530802"}).json()

    answer = admin.put(f"/certificates/{logistics.pk}/majors", {"major_ids": [major["id"]]})
    unknown = admin.put(f"/certificates/{logistics.pk}/majors", {"major_ids": [999_999]})
    listed = api(cast.staff).get("/majors", q="5308").json()

    assert answer.json()["majors"] == [{"name": "现代物流管理", "code": "530802"}]
    assert (unknown.status_code, listed["count"]) == (422, 1)
    assert AuditEvent.objects.get(action="catalog.majors").after["added"] == ["现代物流管理（530802）"]


def test_certificates_update_renames_and_refuses_an_unknown_body(api, cast, logistics):
    admin = api(cast.provincial_admin)

    renamed = admin.patch(f"/certificates/{logistics.pk}", {"name": "现代物流管理职业技能等级证书"})
    unknown = admin.patch(f"/certificates/{logistics.pk}", {"awarding_body_id": 999_999})
    missing = admin.get("/certificates/999999")

    assert (renamed.status_code, renamed.json()["name"]) == (200, "现代物流管理职业技能等级证书")
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "awarding_body_id")
    assert missing.status_code == 404
