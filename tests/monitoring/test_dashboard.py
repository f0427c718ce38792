import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from core.numbers import percent
from institutions.enums import InstitutionKind
from institutions.models import Bureau, Institution
from monitoring import figures, services
from monitoring.figure_cache import figures_changed
from monitoring.figures import FIGURES
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.monitoring.factories import J, M, line_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def typed(line, registered, examined, passed):
    services.record_line_progress(
        actor=None, line=line, counts=services.Counts(registered=registered, examined=examined, passed=passed)
    )


@pytest.fixture
def figures_2027(cast, plans, frozen):
    # Typed by the end of April, so that the April checkpoint (taken on 15 June) counts them.
    with time_machine.travel(datetime(2027, 4, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        typed(line_of(plans["school"], plans["logistics"], M), 30, 20, 10)  # school1: 20 of 70
        typed(line_of(plans["college"], plans["logistics"], J), 50, 45, 40)  # college1: 45 of 50
        school2 = published_plan(cast.school2, 2027, [(plans["care"], J, "护理", 40)])
        typed(line_of(school2, plans["care"], J), 10, 2, 1)  # school2: 2 of 40 = 5 %, half of April's 10 %: slow
    services.take_checkpoint(year=2027, month=4)
    return plans


def rows(client, name):
    return [
        (r["label"], r["approved"], r["examined"], r["completion"])
        for r in client.get(reverse("monitoring:figure_data", args=[name]) + "?year=2027").json()["rows"]
    ]


def test_figures_for_the_province(client, cast, figures_2027):
    client.force_login(cast.observer)

    assert rows(client, "bureaus") == [(cast.bureau1.name, 120, 65, 54.2), (cast.bureau2.name, 40, 2, 5.0)]
    assert rows(client, "kinds") == [
        (str(InstitutionKind.HIGHER_VOCATIONAL.label), 50, 45, 90.0),
        (str(InstitutionKind.PROVINCIAL_SECONDARY.label), 40, 2, 5.0),
        (str(InstitutionKind.SECONDARY_VOCATIONAL.label), 70, 20, 28.6),
    ]
    assert rows(client, "certificates") == [
        (figures_2027["logistics"].name, 90, 65, 72.2),
        (figures_2027["care"].name, 70, 2, 2.9),
    ]
    assert [row[1:] for row in rows(client, "funnel")] == [(160, 67, 41.9)]
    trend = client.get(reverse("monitoring:figure_data", args=["trend"]) + "?year=2027").json()["rows"]
    assert [(r["label"], r["target"], r["slow"], r["serious"]) for r in trend] == [("2027年4月", 10.0, 1, 0)]


def test_figures_for_a_bureau_cover_its_secondary_schools_only(client, cast, figures_2027):
    client.force_login(cast.bureau_reviewer)

    assert rows(client, "bureaus") == [(cast.bureau1.name, 70, 20, 28.6)]
    assert rows(client, "certificates") == [
        (figures_2027["logistics"].name, 40, 20, 50.0),
        (figures_2027["care"].name, 30, 0, 0.0),
    ]


def test_figures_for_an_institution_cover_itself(client, cast, figures_2027):
    client.force_login(cast.other_staff)

    assert rows(client, "bureaus") == [(cast.bureau2.name, 40, 2, 5.0)]


def test_drill_down_from_a_bureau_lists_its_institutions_worst_first(client, cast, figures_2027):
    client.force_login(cast.provincial_reviewer)
    bar = client.get(reverse("monitoring:figure_data", args=["bureaus"]) + "?year=2027").json()["rows"][0]

    page = client.get(bar["drill"])

    figure = page.context["figure"]
    # Live figures on 15 June are judged against April's 10 %.
    assert [(r["label"], percent(r["completion"]), r["standing_code"]) for r in figure.rows] == [
        (cast.school1.name, "28.6%", "on_track"),
        (cast.college1.name, "90.0%", "on_track"),
    ]


def test_drill_down_from_a_checkpoint_lists_the_institutions_behind(client, cast, figures_2027):
    client.force_login(cast.provincial_reviewer)
    point = client.get(reverse("monitoring:figure_data", args=["trend"]) + "?year=2027").json()["rows"][0]

    figure = client.get(point["drill"]).context["figure"]

    assert [(r["label"], r["standing_code"]) for r in figure.rows] == [(cast.school2.name, "slow")]


def test_drill_down_from_a_certificate(client, cast, figures_2027):
    client.force_login(cast.provincial_reviewer)
    bar = client.get(reverse("monitoring:figure_data", args=["certificates"]) + "?year=2027").json()["rows"][0]

    figure = client.get(bar["drill"]).context["figure"]

    assert [(r["label"], r["approved"], r["examined"]) for r in figure.rows] == [
        (cast.school1.name, 40, 20),
        (cast.college1.name, 50, 45),
    ]


def test_each_figure_is_a_table_and_a_workbook(client, cast, figures_2027):
    client.force_login(cast.observer)
    for name in FIGURES:
        table = client.get(reverse("monitoring:figure_table", args=[name]) + "?year=2027")
        book = client.get(reverse("monitoring:figure_xlsx", args=[name]) + "?year=2027")
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(book.content)).get_sheet_by_index(0).to_python()

        assert (table.status_code, book.status_code) == (200, 200)
        assert len(sheet) - 3 == len(table.context["figure"].rows)


def test_dashboard_page_loads_the_vendored_echarts(client, cast, figures_2027):
    client.force_login(cast.observer)

    page = client.get(reverse("monitoring:dashboard") + "?year=2027").content.decode()

    assert '/static/vendor/echarts/echarts.min.js"' in page
    assert "cdn" not in page.lower()


def grow(bureaus: int, plans) -> None:
    """Add bureaus, each with a secondary school and a college with approved lines and progress."""
    for n in range(bureaus):
        bureau = Bureau.objects.create(name=f"示例{Bureau.objects.count()}{n}市")
        for kind in (InstitutionKind.SECONDARY_VOCATIONAL, InstitutionKind.HIGHER_VOCATIONAL):
            institution = Institution.objects.create(name=f"{bureau.name}{kind}", kind=kind, bureau=bureau)
            extra = make_certificate(f"{institution.name}证书")
            plan = published_plan(institution, 2027, [(plans["logistics"], M, "物流", 40), (extra, J, "甲", 30)])
            typed(line_of(plan, plans["logistics"], M), 20, 10, 5)
            typed(line_of(plan, extra, J), 20, 1, 1)


def dashboard_urls(checkpoint) -> list[str]:
    year = "?year=2027"
    urls = [reverse("monitoring:dashboard") + year, reverse("monitoring:dashboard_data") + year]
    urls += [reverse("monitoring:institutions") + year]
    for name in FIGURES:
        urls += [reverse(f"monitoring:figure_{kind}", args=[name]) + year for kind in ("data", "table", "xlsx")]
    urls += [
        reverse("monitoring:institutions") + "?year=2027&bureau=1",
        reverse("monitoring:institutions") + "?year=2027&kind=secondary_vocational",
        reverse("monitoring:institutions") + "?year=2027&certificate=1",
        reverse("monitoring:institutions") + f"?checkpoint={checkpoint.pk}&standing=behind",
        reverse("monitoring:institutions_xlsx") + "?year=2027",
        reverse("monitoring:report", args=[checkpoint.pk]),
        reverse("monitoring:report_xlsx", args=[checkpoint.pk]),
    ]
    return urls


def count_queries(client, urls) -> dict[str, int]:
    """The queries of each URL asked a second time: the first may fill the per-request caches (a checkpoint's
    warnings change the staff's unread count, read again once), which the count is not about. The cached
    figures are dropped in between: the count is of computing them."""
    counts = {}
    for url in urls:
        client.get(url)
        figures_changed()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


@pytest.mark.parametrize("who", ["provincial_reviewer", "bureau_reviewer", "staff"])
def test_dashboard_queries_do_not_grow_with_bureaus(client, cast, plans, who):
    with time_machine.travel(datetime(2027, 6, 30, 23, 0, tzinfo=SHANGHAI), tick=False):
        grow(1, plans)
        checkpoint, _ = services.take_checkpoint(year=2027, month=4)
        user = getattr(cast, who)
        client.force_login(user)
        urls = [u for u in dashboard_urls(checkpoint) if not (who == "staff" and "/checkpoints/" in u)]
        one = count_queries(client, urls)
        grow(2, plans)
        later, _ = services.take_checkpoint(year=2027, month=6)
        urls = [u.replace(f"checkpoints/{checkpoint.pk}/", f"checkpoints/{later.pk}/") for u in urls]
        urls = [u.replace(f"checkpoint={checkpoint.pk}", f"checkpoint={later.pk}") for u in urls]

        three = count_queries(client, urls)

    assert list(three.values()) == list(one.values())


@pytest.mark.parametrize("who", ["observer", "bureau_reviewer", "staff"])
def test_the_dashboard_json_holds_every_chart_as_its_own_address_gives_it(client, cast, figures_2027, who):
    client.force_login(getattr(cast, who))

    every = client.get(reverse("monitoring:dashboard_data") + "?year=2027").json()

    assert every == {
        name: client.get(reverse("monitoring:figure_data", args=[name]) + "?year=2027").json() for name in FIGURES
    }
    assert every["bureaus"]["rows"]


def test_the_certificates_chart_gets_the_best_and_the_worst_only(cast, figures_2027):
    every = figures.by_certificate(cast.observer, 2027).rows
    assert len(every) == 2

    assert figures.by_certificate(cast.observer, 2027, ends=1).rows == every  # no more than 2 × 1: all
    assert figures.charts(cast.observer, 2027)["certificates"] == figures.by_certificate(cast.observer, 2027).as_json()
    grow(2, figures_2027)  # two more certificates, each of one institution
    every = figures.by_certificate(cast.observer, 2027).rows
    assert figures.by_certificate(cast.observer, 2027, ends=1).rows == [every[0], every[-1]]


def test_the_shared_groups_are_summed_again_by_bureau_kind_or_all_in_their_first_order():
    def group(bureau, kind, approved, examined):
        return (
            {"bureau": bureau, "kind": kind}
            | dict.fromkeys(figures.SUMS, 0)
            | {
                "approved_sum": approved,
                "examined_sum": examined,
            }
        )

    groups = [group(2, "a", 10, 1), group(1, "a", 5, 5), group(2, "b", 20, 2)]

    by_bureau = figures.regrouped(groups, "bureau")
    assert [(r["bureau"], r["approved_sum"], r["examined_sum"]) for r in by_bureau] == [(2, 30, 3), (1, 5, 5)]
    assert [(r["kind"], r["approved_sum"]) for r in figures.regrouped(groups, "kind")] == [("a", 15), ("b", 20)]
    [everything] = figures.regrouped(groups)
    assert (everything["approved_sum"], everything["examined_sum"]) == (35, 8)
    [nothing] = figures.regrouped([])
    assert set(nothing.values()) == {0}
