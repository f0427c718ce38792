"""Certificates found as people type them: full pinyin, initials, both mixed, and mixed with Latin letters."""

from __future__ import annotations

import pytest

from catalog.models import Certificate
from catalog.pinyin import matches
from tests.conftest import make_certificate

NAMES = [
    "物流管理职业技能等级证书",
    "Web前端开发职业技能等级证书",
    "老年照护职业技能等级证书",
    "网店运营推广职业技能等级证书",
]


@pytest.fixture
def catalogue(db):
    for name in NAMES:
        make_certificate(name)


def found(q: str) -> list[str]:
    return sorted(Certificate.objects.search(q).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("wuliu", ["物流管理职业技能等级证书"]),
        ("webqd", ["Web前端开发职业技能等级证书"]),
        ("WebQianDuan", ["Web前端开发职业技能等级证书"]),
        ("wuliugl", ["物流管理职业技能等级证书"]),
        ("wlgl", ["物流管理职业技能等级证书"]),
        ("laonianzh", ["老年照护职业技能等级证书"]),
        ("物流", ["物流管理职业技能等级证书"]),
        ("wd", ["网店运营推广职业技能等级证书"]),
        ("wuliux", []),
        ("qdweb", []),
    ],
)
def test_certificate_search_by_pinyin(catalogue, query, names):
    assert found(query) == names


def test_pinyin_reads_a_polyphonic_character_either_way():
    assert (matches("yinhang", "银行"), matches("yinxing", "银行"), matches("yh", "银行")) == (True, True, True)


def test_certificate_search_takes_two_queries_whatever_the_catalogue(catalogue, django_assert_num_queries):
    with django_assert_num_queries(2):
        found("wuliu")
