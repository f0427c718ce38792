"""Pagination on every list, and the per-token rate limit (429 with Retry-After)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from api.models import RateCounter
from api.services import create_token
from core.dates import SHANGHAI
from tests.conftest import make_certificate
from tests.reviews.factories import J

# 10:00:45 — 15 seconds before the minute's window ends.
NOW = datetime(2027, 4, 3, 10, 0, 45, tzinfo=SHANGHAI)


@pytest.fixture
def tight_limit(settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW_SECONDS = 60


def test_rate_limit_answers_429_with_retry_after_once_spent(api, cast, tight_limit):
    with time_machine.travel(NOW, tick=False):
        _token, raw = create_token(user=cast.staff, name="script", at=NOW)
        caller = api(raw=raw)
        answers = [caller.get("/me").status_code for _ in range(3)]
        refused = caller.get("/me")
    with time_machine.travel(NOW + timedelta(seconds=15), tick=False):
        next_window = caller.get("/me").status_code

    assert answers == [200, 200, 200]
    assert (refused.status_code, refused["Retry-After"], refused["Content-Type"]) == (
        429,
        "15",
        "application/problem+json; charset=utf-8",
    )
    assert refused.json()["status"] == 429
    assert next_window == 200
    assert RateCounter.objects.count() == 1  # the spent window's row is gone


def test_rate_limit_counts_each_token_apart(api, cast, tight_limit):
    with time_machine.travel(NOW, tick=False):
        spent, fresh = api(cast.staff), api(cast.staff)
        for _ in range(4):
            spent.get("/me")

        assert (spent.get("/me").status_code, fresh.get("/me").status_code) == (429, 200)


def test_rate_limit_does_not_count_refused_tokens(api, db, tight_limit):
    with time_machine.travel(NOW, tick=False):
        answers = [api(raw="onex_000000000000_nope").get("/me").status_code for _ in range(5)]

    assert answers == [401] * 5
    assert RateCounter.objects.count() == 0


def test_pagination_pages_through_a_list_with_its_count(api, cast):
    for name in ["甲", "乙", "丙", "丁", "戊"]:
        make_certificate(f"{name}职业技能等级证书", levels=[J])
    caller = api(cast.staff)

    first = caller.get("/certificates", limit=2).json()
    third = caller.get("/certificates", limit=2, offset=4).json()

    everything = [c["name"] for c in caller.get("/certificates").json()["items"]]
    assert (first["count"], first["limit"], first["offset"]) == (5, 2, 0)
    assert [c["name"] for c in first["items"]] == everything[:2]
    assert [c["name"] for c in third["items"]] == everything[4:]


@pytest.mark.parametrize("path", ["/rounds", "/certificates", "/institutions", "/plans"])
def test_pagination_refuses_a_page_above_the_maximum(api, cast, path):
    answer = api(cast.provincial_reviewer).get(path, limit=201)

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["limit"]


def test_certificate_search_finds_pinyin_initials(api, cast):
    make_certificate("物流管理职业技能等级证书", levels=[J])
    make_certificate("电子商务数据分析职业技能等级证书", levels=[J])

    found = api(cast.staff).get("/certificates", q="wlgl").json()

    assert [c["short_name"] for c in found["items"]] == ["物流管理"]
