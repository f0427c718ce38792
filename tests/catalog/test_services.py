"""The catalogue's services: restriction, minimum headcount, corresponding majors — audited, the admin's only."""

import pytest

from audit.models import AuditEvent
from catalog import services
from catalog.enums import Level
from catalog.models import Certificate, Major
from tests.conftest import make_certificate


@pytest.fixture
def certificate(db):
    return make_certificate("物流管理职业技能等级证书", levels=[Level.JUNIOR, Level.INTERMEDIATE], majors=["物流管理"])


def events(obj) -> list[tuple[str, dict, dict]]:
    return [(e.action, e.before, e.after) for e in AuditEvent.objects.for_object(obj).order_by("pk")]


def test_set_restriction_marks_the_certificate_with_its_reason_and_audits(cast, certificate):
    services.set_restriction(actor=cast.provincial_admin, certificate=certificate, restricted=True, reason=" 质量 ")

    certificate.refresh_from_db()
    assert (certificate.restricted, certificate.restricted_reason) == (True, "质量")
    assert events(certificate) == [
        (
            "catalog.restriction",
            {"restricted": False, "restricted_reason": ""},
            {"restricted": True, "restricted_reason": "质量"},
        )
    ]


def test_set_restriction_lifted_clears_the_reason(cast, db):
    certificate = make_certificate("受限证书", restricted=True)

    services.set_restriction(actor=cast.provincial_admin, certificate=certificate, restricted=False, reason="x")

    certificate.refresh_from_db()
    assert (certificate.restricted, certificate.restricted_reason) == (False, "")


def test_set_restriction_needs_a_reason(cast, certificate):
    with pytest.raises(services.CatalogError):
        services.set_restriction(actor=cast.provincial_admin, certificate=certificate, restricted=True, reason=" ")
    assert Certificate.objects.get(pk=certificate.pk).restricted is False


def test_set_restriction_unchanged_records_nothing(cast, certificate):
    services.set_restriction(actor=cast.provincial_admin, certificate=certificate, restricted=False)

    assert events(certificate) == []


@pytest.mark.parametrize("role", ["provincial_reviewer", "staff", "bureau_reviewer"])
def test_catalog_services_refuse_other_roles(cast, certificate, role):
    actor = getattr(cast, role)
    level = certificate.levels.get(level=Level.JUNIOR)
    with pytest.raises(services.CatalogError):
        services.set_restriction(actor=actor, certificate=certificate, restricted=True, reason="质量")
    with pytest.raises(services.CatalogError):
        services.set_min_headcount(actor=actor, level=level, min_headcount=10)
    with pytest.raises(services.CatalogError):
        services.set_majors(actor=actor, certificate=certificate, majors=[])
    assert AuditEvent.objects.count() == 0


def test_set_min_headcount_saves_and_audits_before_and_after(cast, certificate):
    level = certificate.levels.get(level=Level.JUNIOR)

    services.set_min_headcount(actor=cast.provincial_admin, level=level, min_headcount=20)
    services.set_min_headcount(actor=cast.provincial_admin, level=level, min_headcount=20)
    services.set_min_headcount(actor=cast.provincial_admin, level=level, min_headcount=None)

    level.refresh_from_db()
    assert level.min_headcount is None
    assert events(level) == [
        ("catalog.min_headcount", {"min_headcount": None}, {"min_headcount": 20}),
        ("catalog.min_headcount", {"min_headcount": 20}, {"min_headcount": None}),
    ]


def test_set_min_headcount_refuses_zero(cast, certificate):
    level = certificate.levels.get(level=Level.JUNIOR)
    with pytest.raises(services.CatalogError):
        services.set_min_headcount(actor=cast.provincial_admin, level=level, min_headcount=0)


def test_set_majors_replaces_them_and_audits_what_was_added_and_removed(cast, certificate):
    new = Major.objects.create(name="供应链运营", code="530802")

    services.set_majors(actor=cast.provincial_admin, certificate=certificate, majors=[new])

    assert list(certificate.majors.all()) == [new]
    assert events(certificate) == [
        (
            "catalog.majors",
            {"majors": ["物流管理"]},
            {"majors": ["供应链运营（530802）"], "added": ["供应链运营（530802）"], "removed": ["物流管理"]},
        )
    ]
