"""The review queue's certificate, bureau and round lists are rendered once and cached (core.fragments); adding,
renaming or deleting a certificate, a bureau or a round drops them (reviews.signals)."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalog.models import Certificate
from core.dates import local_today
from institutions.models import Bureau
from rounds.models import Round, current_round_id
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


def _opening(year: int, season: str, start: date) -> dict[str, date]:
    """The notice's dates of a round, all moved so that its filing opens on `start`."""
    dates = Round.notice_defaults(year, season)
    return {name: day + (start - dates["filing_start"]) for name, day in dates.items()}


@pytest.mark.parametrize("change", ["add", "change", "delete"])
def test_queue_current_round_follows_a_changed_round(reviewer, spring, change):
    today = local_today(timezone.now())
    spare = make_round(2026, "autumn", **_opening(2026, "autumn", today - timedelta(days=10)))  # the newest opened
    before, spare_pk = reviewer.get(reverse("review_queue")).context["form"].data["round"], spare.pk  # cached

    if change == "add":
        make_round(2028, **_opening(2028, "spring", today - timedelta(days=1)))
    elif change == "change":
        for name, day in _opening(2026, "autumn", today + timedelta(days=3650)).items():
            setattr(spare, name, day)
        spare.save()
    else:
        spare.delete()

    after = reviewer.get(reverse("review_queue")).context["form"].data["round"]
    assert (before, after) == (spare_pk, Round.objects.current(today=today).pk)
    assert after != spare_pk


def test_queue_refuses_a_chosen_round_deleted_since_the_rounds_were_cached(reviewer, spring):
    spare = make_round(2026, "autumn")
    chosen = reviewer.get(reverse("review_queue"), {"round": spare.pk}).context["form"]
    spare_pk = spare.pk
    spare.delete()

    refused = reviewer.get(reverse("review_queue"), {"round": spare_pk}).context["form"]

    assert (chosen.is_valid(), list(refused.errors)) == (True, ["round"])


@pytest.mark.parametrize("today", [date(2020, 1, 1), date(2026, 10, 1), date(2027, 4, 3), date(2030, 1, 1)])
def test_current_round_id_is_the_current_round(spring, autumn, today):
    make_round(2026, "autumn")
    filing_starts = dict(Round.objects.values_list("pk", "filing_start"))

    assert current_round_id(filing_starts, today=today) == Round.objects.current(today=today).pk
    assert current_round_id({}, today=today) is None
