"""The review queue's certificate and bureau lists are rendered once and cached (core.fragments); adding, renaming
or deleting a certificate or a bureau drops them (reviews.signals)."""

import re

import pytest
from django.urls import reverse

from catalog.models import Certificate
from institutions.models import Bureau
from tests.conftest import make_certificate
from tests.reviews.factories import J


def _options(client, field: str) -> list[str]:
    """The labels of the queue form's drop-down `field`, as rendered."""
    html = str(client.get(reverse("review_queue")).context["form"][field])
    return re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]*)<", html)


@pytest.fixture
def reviewer(client, cast, logistics):
    client.force_login(cast.provincial_reviewer)
    return client


def test_queue_certificate_list_is_read_once_and_cached(reviewer):
    first = _options(reviewer, "certificate")
    Certificate.objects.filter(pk__in=Certificate.objects.values("pk")).update(name="未通知的改名")  # no signal

    assert _options(reviewer, "certificate") == first


@pytest.mark.parametrize("change", ["add", "rename", "delete"])
def test_queue_certificate_list_follows_a_changed_certificate(reviewer, change):
    spare = make_certificate("网店运营推广职业技能等级证书", levels=[J])
    _options(reviewer, "certificate")

    if change == "add":
        make_certificate("数字化管理师职业技能等级证书", levels=[J])
    elif change == "rename":
        spare.name = "网店运营推广（改）"
        spare.save()
    else:
        spare.delete()

    expected = list(Certificate.objects.order_by("name").values_list("name", flat=True))
    assert _options(reviewer, "certificate")[1:] == expected


@pytest.mark.parametrize("change", ["add", "rename"])
def test_queue_bureau_list_follows_a_changed_bureau(reviewer, cast, change):
    _options(reviewer, "bureau")

    if change == "add":
        Bureau.objects.create(name="黄山市教育局")
    else:
        cast.bureau2.name = "宣城市教育局"
        cast.bureau2.save()

    assert _options(reviewer, "bureau")[1:] == list(Bureau.objects.values_list("name", flat=True))


def test_queue_marks_the_chosen_certificate_on_the_cached_list(reviewer, logistics):
    _options(reviewer, "certificate")

    form = reviewer.get(reverse("review_queue"), {"certificate": logistics.pk}).context["form"]

    assert f'<option value="{logistics.pk}" selected>' in str(form["certificate"])
