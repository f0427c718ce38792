"""R8 the national platform registration."""

from plans.rules import gather_facts, r8_registration
from tests.factories import draft


def test_r8_unregistered_institution_cannot_submit(cast, spring):
    cast.school1.platform_account = ""
    cast.school1.save()

    violations = r8_registration(gather_facts(draft(cast.school1, spring)))

    assert [v.code for v in violations] == ["R8"]
    assert "https://vslc.ncb.edu.cn/" in violations[0].message


def test_r8_registered_institution_passes(cast, spring):
    assert r8_registration(gather_facts(draft(cast.school1, spring))) == []
