"""Pagination on every list; the per-person rate limit across all their tokens, and the pages' export limit on
every file the API answers (429 with Retry-After)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from api.downloads import answers_a_file
from api.main import api as onex_api
from api.models import RateCounter
from api.services import create_token
from core.dates import SHANGHAI
from plans.enums import PlanStatus
from tests.conftest import make_certificate
from tests.reviews.factories import J, plan_in

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


def test_rate_limit_counts_a_person_across_all_their_tokens(api, cast, tight_limit):
    with time_machine.travel(NOW, tick=False):
        first, second, someone_else = api(cast.staff), api(cast.staff), api(cast.leader)
        answers = [caller.get("/me").status_code for caller in (first, second, first, second, first)]
        other = someone_else.get("/me").status_code

    assert answers == [200, 200, 200, 429, 429]
    assert other == 200
    assert RateCounter.objects.filter(user=cast.staff).get().hits == 5


@pytest.fixture
def plan(cast, spring, private_storage):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    return plan_in(cast.school1, spring, PlanStatus.BUREAU_REVIEW, [(certificate, J, "物流管理", 40)])


def test_api_downloads_share_the_pages_export_limit(api, client, cast, plan, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "3/600"}
    with time_machine.travel(NOW, tick=False):
        first, second = api(cast.staff), api(cast.staff)
        client.force_login(cast.staff)
        page = client.get(reverse("institution_summary_download", args=[plan.pk])).status_code
        files = [caller.get(f"/plans/{plan.pk}/documents/summary.xlsx").status_code for caller in (first, second)]
        refused = first.get(f"/plans/{plan.pk}/documents/forms/{plan.lines.get().certificate_id}/pdf")
        not_a_file = second.get(f"/plans/{plan.pk}/documents").status_code
        someone_else = api(cast.leader).get(f"/plans/{plan.pk}/documents/summary.xlsx").status_code

    assert (page, files) == (200, [200, 200])
    assert (refused.status_code, refused["Retry-After"], refused.json()["status"]) == (429, "555", 429)
    assert (not_a_file, someone_else) == (200, 200)


def test_every_api_operation_answering_a_file_counts_as_an_export():
    operations = [
        operation
        for bound in onex_api._get_bound_routers()  # the operations as served, decorators applied
        for view in bound.path_operations.values()
        for operation in view.operations
    ]
    marked = {op.operation_id: getattr(op.run, "counts_as_export", False) for op in operations if answers_a_file(op)}

    assert len(marked) >= 6
    assert [name for name, counted in marked.items() if not counted] == []
    assert not any(getattr(op.run, "counts_as_export", False) for op in operations if not answers_a_file(op))


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
    assert (first["previous"], first["next"]) == (None, "http://testserver/api/v1/certificates?limit=2&offset=2")
    assert (third["previous"], third["next"]) == ("http://testserver/api/v1/certificates?limit=2&offset=2", None)
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
