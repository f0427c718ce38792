"""Which levels a certificate offers: one answer, junior first, for every caller."""

from catalog.enums import Level
from catalog.models import CertificateLevel
from tests.conftest import make_certificate


def test_offered_levels_are_listed_junior_first(db):
    cert = make_certificate("物流管理职业技能等级证书", levels=[Level.SENIOR, Level.JUNIOR])

    assert CertificateLevel.objects.offered() == {cert.pk: ["junior", "senior"]}


def test_offered_levels_of_some_certificates_leave_the_others_out(db):
    wanted = make_certificate("物流管理职业技能等级证书", levels=[Level.INTERMEDIATE])
    make_certificate("网店运营推广职业技能等级证书", levels=[Level.JUNIOR])

    assert CertificateLevel.objects.offered([wanted.pk]) == {wanted.pk: ["intermediate"]}


def test_offered_levels_of_no_certificate_are_empty(db):
    make_certificate("物流管理职业技能等级证书")

    assert CertificateLevel.objects.offered([]) == {}
