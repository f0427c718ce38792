"""The review queue through the API: the queue page's scope, its default round (the current one), and its one
filter (reviews.queues.filter_queue) — round, bureau, kind, status, certificate, text."""

from __future__ import annotations

import pytest
import time_machine

from plans.enums import PlanStatus
from tests.api import test_matrix
from tests.api.conftest import BUREAU_DAY
from tests.conftest import make_certificate
from tests.reviews.factories import J, plan_in

world = test_matrix.world  # the pages' plans, as a fixture here too


@pytest.fixture(autouse=True)
def in_the_spring_round():
    with time_machine.travel(BUREAU_DAY, tick=False):
        yield


def listed(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    return sorted(item["institution"]["name"] for item in answer.json()["items"])


def listed_names(body: dict) -> list[str]:
    return sorted(item["institution"]["name"] for item in body["items"])


def test_queue_is_the_pages_scope_in_the_current_round(api, world):
    cast = world.cast

    bureau = listed(api(cast.bureau_reviewer).get("/reviews/queue"))
    province = api(cast.provincial_reviewer).get("/reviews/queue").json()
    everything = listed(api(cast.observer).get("/reviews/queue", all_rounds=True))

    assert bureau == ["示例合肥职业学校"]  # school1's spring plan; college1 goes to the province directly
    assert sorted(item["institution"]["name"] for item in province["items"]) == [
        "示例合肥职业技术学院",
        "示例芜湖应用技术学院",
    ]
    assert province["counts"] == [{"status": "provincial_review", "count": 1}, {"status": "published", "count": 1}]
    assert everything == ["示例合肥职业技术学院", "示例芜湖应用技术学院"]


def test_queue_filters_by_bureau_kind_status_and_text(api, world):
    province = api(world.cast.provincial_reviewer)

    by_bureau = listed(province.get("/reviews/queue", bureau_id=world.cast.bureau2.pk))
    by_kind = listed(province.get("/reviews/queue", kind="higher_vocational"))
    by_status = province.get("/reviews/queue", status=PlanStatus.PUBLISHED).json()
    by_text = listed(province.get("/reviews/queue", text="芜湖"))

    assert by_bureau == ["示例芜湖应用技术学院"]
    assert by_kind == ["示例合肥职业技术学院"]
    assert ([item["status"] for item in by_status["items"]], by_status["count"]) == (["published"], 1)
    assert by_text == ["示例芜湖应用技术学院"]


def test_queue_filters_by_certificate_and_round(api, cast, spring, autumn):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan_in(cast.college1, autumn, PlanStatus.PROVINCIAL_REVIEW, [(certificate, J, "物流管理", 40)])
    plan_in(cast.college2, spring, PlanStatus.PROVINCIAL_REVIEW, [])
    province = api(cast.provincial_reviewer)

    autumn_rows = listed(province.get("/reviews/queue", round_id=autumn.pk))
    with_certificate = listed(province.get("/reviews/queue", all_rounds=True, certificate_id=certificate.pk))
    row = province.get("/reviews/queue", round_id=autumn.pk).json()["items"][0]

    assert autumn_rows == with_certificate == ["示例合肥职业技术学院"]
    assert (row["lines"], row["planned"], row["bureau"]["id"]) == (1, 40, cast.bureau1.pk)


def test_queue_refuses_institutions_and_unknown_filters(api, world):
    cast = world.cast

    refused = api(cast.staff).get("/reviews/queue")
    unknown = api(cast.provincial_reviewer).get("/reviews/queue", round_id=999999)
    bad_kind = api(cast.provincial_reviewer).get("/reviews/queue", kind="school")

    assert refused.status_code == 403
    assert [(a.status_code, a.json()["errors"][0]["field"]) for a in (unknown, bad_kind)] == [
        (422, "round_id"),
        (422, "kind"),
    ]
