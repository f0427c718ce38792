"""The dashboard's cached figures (monitoring.figure_cache): what a reader gets equals the figures computed from the
rows, for their own scope only, and every source of the figures drops them when it changes."""

from __future__ import annotations

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import translation

from monitoring import figures, services
from monitoring.models import Checkpoint
from monitoring.withdrawals import withdraw_import
from tests.factories import published_plan
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import TOTALS_HEADERS, J, M, line_of
from tests.monitoring.helpers import run_import
from tests.shapes import shaped

DATA = reverse("monitoring:dashboard_data") + "?year=2027"


def read(client, user) -> dict:
    client.force_login(user)
    return client.get(DATA).json()


def computed(user) -> dict:
    """The figures from the rows, as the JSON carries them."""
    return json.loads(json.dumps(figures.charts(user, 2027), cls=DjangoJSONEncoder))


def labels(answer: dict, name: str) -> list:
    return [(row["label"], row["approved"], row["examined"]) for row in answer[name]["rows"]]


def typed(line, registered, examined, passed):
    services.record_line_progress(actor=None, line=line, counts=services.Counts(registered, examined, passed))


@pytest.fixture
def progress(plans, frozen):
    typed(line_of(plans["school"], plans["logistics"], M), 30, 20, 10)
    typed(line_of(plans["college"], plans["logistics"], J), 50, 45, 40)
    return plans


def test_every_reader_gets_the_figures_computed_from_the_rows_of_their_own_scope(client, cast, progress):
    readers = [cast.observer, cast.bureau_reviewer, cast.other_bureau_reviewer, cast.staff, cast.other_staff]

    first = [read(client, user) for user in readers]
    again = [read(client, user) for user in readers]  # from the cache now

    assert first == again == [computed(user) for user in readers]
    assert [labels(answer, "bureaus") for answer in again] == [
        [(cast.bureau1.name, 120, 65)],
        [(cast.bureau1.name, 70, 20)],  # bureau 1's secondary school only
        [],
        [(cast.bureau1.name, 70, 20)],
        [],
    ]


def test_one_chart_and_its_table_are_cached_by_scope_too(client, cast, progress):
    url = reverse("monitoring:figure_data", args=["funnel"]) + "?year=2027"
    client.force_login(cast.observer)
    province = client.get(url).json()["rows"][0]["approved"]
    client.force_login(cast.bureau_reviewer)
    bureau = client.get(url).json()["rows"][0]["approved"]
    table = client.get(reverse("monitoring:figure_table", args=["funnel"]) + "?year=2027")

    assert (province, bureau, table.context["figure"].rows[0]["approved"]) == (120, 70, 70)


def test_the_page_figures_follow_typed_progress(client, cast, progress):
    client.force_login(cast.observer)
    page = reverse("monitoring:dashboard") + "?year=2027"
    before = client.get(page).context["total"].examined
    typed(line_of(progress["school"], progress["care"], J), 10, 5, 5)

    assert (before, client.get(page).context["total"].examined) == (65, 70)


def test_typed_progress_drops_the_cached_figures(client, cast, progress):
    read(client, cast.observer)
    typed(line_of(progress["school"], progress["logistics"], M), 40, 35, 30)

    assert [row[1:] for row in labels(read(client, cast.observer), "funnel")] == [(120, 80)]


def test_an_import_and_its_withdrawal_drop_the_cached_figures(client, cast, progress, tmp_path):
    rows = [[cast.school1.name, LOGISTICS, "中级", "物流管理", "38", "35", "30"]]
    path = tmp_path / "合计.xlsx"
    path.write_bytes(shaped(TOTALS_HEADERS, rows, above="title"))
    before = read(client, cast.observer)
    client.force_login(cast.provincial_reviewer)
    job = run_import(client, path, kind="totals")
    imported = read(client, cast.observer)
    withdraw_import(actor=cast.provincial_reviewer, job=job, reason="导错了文件")

    assert [labels(answer, "funnel")[0][2] for answer in (before, imported)] == [65, 80]
    assert read(client, cast.observer) == before == computed(cast.observer)


def test_a_checkpoint_taken_and_deleted_drops_the_cached_figures(client, cast, progress):
    before = read(client, cast.observer)["trend"]["rows"]
    services.take_checkpoint(year=2027, month=4)
    taken = read(client, cast.observer)["trend"]["rows"]
    Checkpoint.objects.filter(year=2027, month=4).delete()

    assert (before, [row["label"] for row in taken]) == ([], ["2027年4月"])
    assert read(client, cast.observer)["trend"]["rows"] == []


def test_a_bureau_renamed_drops_the_cached_figures(client, cast, progress):
    read(client, cast.bureau_reviewer)
    cast.bureau1.name = "合肥市教育局"
    cast.bureau1.save()

    assert labels(read(client, cast.bureau_reviewer), "bureaus") == [("合肥市教育局", 70, 20)]


def test_an_institution_moved_to_another_bureau_drops_the_cached_figures(client, cast, progress):
    read(client, cast.observer)
    read(client, cast.other_bureau_reviewer)
    cast.school1.bureau = cast.bureau2
    cast.school1.save()

    assert labels(read(client, cast.observer), "bureaus") == [(cast.bureau1.name, 50, 45), (cast.bureau2.name, 70, 20)]
    assert labels(read(client, cast.other_bureau_reviewer), "bureaus") == [(cast.bureau2.name, 70, 20)]


def test_a_certificate_renamed_drops_the_cached_figures(client, cast, progress):
    read(client, cast.observer)
    progress["logistics"].name = "物流管理（新版）"
    progress["logistics"].save()

    assert labels(read(client, cast.observer), "certificates") == [("物流管理（新版）", 90, 65)]


def test_a_plan_published_drops_the_cached_figures(client, cast, progress):
    # A bureau's certificate chart is summed from the lines of published plans.
    before = labels(read(client, cast.other_bureau_reviewer), "certificates")
    published_plan(cast.school2, 2027, [(progress["web"], J, "网页设计", 25)])

    assert (before, labels(read(client, cast.other_bureau_reviewer), "certificates")) == (
        [],
        [(progress["web"].name, 25, 0)],
    )


def test_an_approved_headcount_changed_drops_the_cached_figures(client, cast, progress):
    read(client, cast.bureau_reviewer)
    line = line_of(progress["school"], progress["care"], J)
    line.approved_headcount = 45
    line.save(update_fields=["approved_headcount"])

    assert labels(read(client, cast.bureau_reviewer), "certificates")[-1] == (progress["care"].name, 45, 0)


def test_the_figures_are_cached_by_language(client, cast, progress):
    client.force_login(cast.observer)
    titles = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            titles.append(client.get(DATA, HTTP_ACCEPT_LANGUAGE=language).json()["funnel"]["title"])

    assert titles == ["核定、报名、参考、通过人数", "Planned, registered, examined, passed"]


def drill_rows(client, user, query: str) -> list:
    client.force_login(user)
    page = client.get(reverse("monitoring:institutions") + f"?year=2027&{query}")
    return [(row["label"], row["examined"], row["standing_code"]) for row in page.context["figure"].rows]


def test_a_drill_down_page_is_cached_by_scope_and_follows_the_rows(client, cast, progress):
    everyone = drill_rows(client, cast.observer, f"bureau={cast.bureau1.pk}")
    bureau = drill_rows(client, cast.bureau_reviewer, f"bureau={cast.bureau1.pk}")
    typed(line_of(progress["school"], progress["logistics"], M), 40, 35, 30)

    assert [row[:2] for row in everyone] == [(cast.school1.name, 20), (cast.college1.name, 45)]
    assert [row[:2] for row in bureau] == [(cast.school1.name, 20)]  # its secondary school only
    assert drill_rows(client, cast.other_bureau_reviewer, f"bureau={cast.bureau1.pk}") == []
    assert [row[:2] for row in drill_rows(client, cast.observer, f"bureau={cast.bureau1.pk}")] == [
        (cast.school1.name, 35),
        (cast.college1.name, 45),
    ]
