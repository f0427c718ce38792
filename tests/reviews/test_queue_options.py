"""The review queue's certificate, bureau and round lists are rendered once and cached (core.fragments); adding,
renaming or deleting a certificate, a bureau or a round drops them (reviews.signals)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from catalog.models import Certificate
from institutions.models import Bureau
from rounds.models import Round
from tests.conftest import make_certificate, make_round
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


def test_queue_round_list_is_read_once_and_cached(reviewer, spring):
    first = _options(reviewer, "round")
    Round.objects.filter(pk=spring.pk).update(year=2030)  # no signal

    assert _options(reviewer, "round") == first


@pytest.mark.parametrize("change", ["add", "change", "delete"])
def test_queue_round_list_follows_a_changed_round(reviewer, spring, change):
    spare = make_round(2026, "autumn")
    _options(reviewer, "round")

    if change == "add":
        make_round(2028)
    elif change == "change":
        spare.year = 2025
        spare.save()
    else:
        spare.delete()

    expected = [str(r) for r in Round.objects.order_by("-year", "-season")]
    assert _options(reviewer, "round")[1:] == expected


def test_queue_round_list_is_cached_in_each_language(reviewer, spring):
    english = _options(reviewer, "round")
    reviewer.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    assert (english[0], _options(reviewer, "round")[0]) == ("all rounds", "全部轮次")


def test_queue_marks_the_chosen_certificate_on_the_cached_list(reviewer, logistics):
    _options(reviewer, "certificate")

    form = reviewer.get(reverse("review_queue"), {"certificate": logistics.pk}).context["form"]

    assert f'<option value="{logistics.pk}" selected>' in str(form["certificate"])
