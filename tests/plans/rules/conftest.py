"""The rule tests' fixtures: a certificate, and English messages (the numbers are asserted in them)."""

from datetime import datetime

import pytest
from django.utils import translation

from core.dates import SHANGHAI
from tests.conftest import make_certificate
from tests.factories import J, completion, published_plan

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", body="北京中物联物流采购培训中心")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def capped(cast, logistics, rate: str, approved: int = 200):
    """School 1 published `approved` people of logistics in 2026 and completed `rate` % of them."""
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", approved)])
    completion(cast.school1, 2026, rate)
