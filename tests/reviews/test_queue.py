"""The review queues: who sees which plans, filters, counts per status, sorting, no N+1."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.enums import InstitutionKind
from institutions.models import Institution
from plans.enums import PlanStatus
from plans.models import Plan
from reviews.models import PlanCheck
from reviews.queues import Page, QueueFilters, cut, filter_queue, queue_for, rows
from tests.conftest import make_certificate, make_round
from tests.reviews.factories import FILED, J, in_bureau_review, in_provincial_review, plan_in


def names(response) -> list[str]:
    return [row.plan["institution__name"] for row in response.context["rows"]]


def test_bureau_queue_holds_its_secondary_schools_submitted_plans_only(cast, spring, logistics):
    mine = in_bureau_review(cast, spring, logistics)
    in_bureau_review(cast, spring, logistics, institution=cast.school2)
    in_provincial_review(cast, spring, logistics)
    plan_in(cast.college2, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])

    assert list(queue_for(cast.bureau_reviewer)) == [mine]


def test_province_queue_holds_what_reached_the_province_and_not_what_waits_on_a_bureau(cast, spring, logistics):
    in_bureau_review(cast, spring, logistics)
    college = in_provincial_review(cast, spring, logistics)
    approved_school = in_provincial_review(cast, spring, logistics, institution=cast.school2)

    assert set(queue_for(cast.provincial_reviewer)) == {college, approved_school}


def test_queue_counts_plans_per_status_and_filters_by_status(client, cast, spring, logistics):
    in_provincial_review(cast, spring, logistics)
    plan_in(cast.college2, spring, PlanStatus.PUBLISHED, [(logistics, J, "物流管理", 40)])
    client.force_login(cast.provincial_reviewer)

    response = client.get(reverse("review_queue"), {"status": PlanStatus.PUBLISHED})

    counts = {status: n for status, _label, n in response.context["counts"] if n}
    assert counts == {"provincial_review": 1, "published": 1}
    assert names(response) == [cast.college2.name]


def test_queue_filters_by_bureau_kind_and_certificate(client, cast, spring, logistics):
    other = make_certificate("电子商务数据分析职业技能等级证书", levels=[J])
    in_provincial_review(cast, spring, logistics)  # college1, bureau 1, higher vocational
    in_provincial_review(cast, spring, other, institution=cast.college2)  # bureau 2, applied undergraduate
    client.force_login(cast.provincial_reviewer)
    url = reverse("review_queue")

    assert names(client.get(url, {"bureau": cast.bureau2.pk})) == [cast.college2.name]
    assert names(client.get(url, {"kind": InstitutionKind.HIGHER_VOCATIONAL})) == [cast.college1.name]
    assert names(client.get(url, {"certificate": other.pk})) == [cast.college2.name]


def test_queue_filters_plans_with_warnings(client, cast, spring, logistics, django_capture_on_commit_callbacks):
    with_majors = make_certificate("智能财税职业技能等级证书", levels=[J], majors=["会计事务"])
    with django_capture_on_commit_callbacks(execute=True):  # the worker checks each plan once it moved
        in_provincial_review(cast, spring, logistics)
        # R6: the major is not one of the certificate's corresponding majors (a warning).
        in_provincial_review(cast, spring, with_majors, institution=cast.college2)
    client.force_login(cast.provincial_reviewer)

    response = client.get(reverse("review_queue"), {"has_warnings": "on"})

    assert names(response) == [cast.college2.name]
    assert PlanCheck.objects.get(plan__institution=cast.college2).codes == "R6"


def test_queue_sorts_by_submission_time(client, cast, spring, logistics):
    later = in_provincial_review(cast, spring, logistics)
    Plan.objects.filter(pk=later.pk).update(submitted_at=FILED + timedelta(hours=2))
    in_provincial_review(cast, spring, logistics, institution=cast.college2)
    client.force_login(cast.provincial_reviewer)

    oldest = names(client.get(reverse("review_queue")))
    newest = names(client.get(reverse("review_queue"), {"sort": "newest"}))

    assert oldest == [cast.college2.name, cast.college1.name]
    assert newest == [cast.college1.name, cast.college2.name]


def test_queue_rows_count_each_plans_lines_and_planned_headcount(client, cast, spring, logistics):
    plan_in(
        cast.college1,
        spring,
        PlanStatus.PROVINCIAL_REVIEW,
        [(logistics, J, "物流管理", 40), (logistics, J, "电子商务", 30)],
    )
    plan_in(cast.college2, spring, PlanStatus.PROVINCIAL_REVIEW, [])
    client.force_login(cast.provincial_reviewer)

    response = client.get(reverse("review_queue"))

    rows = {row.plan["institution__name"]: (row.lines, row.planned) for row in response.context["rows"]}
    assert rows == {cast.college1.name: (2, 70), cast.college2.name: (0, 0)}


def _five_submitted_an_hour_apart(cast, spring, logistics) -> list[Plan]:
    plans = []
    for n in range(5):
        school = Institution.objects.create(
            name=f"示例学校{n}", kind=InstitutionKind.SECONDARY_VOCATIONAL, bureau=cast.bureau1, platform_account="x"
        )
        plan = plan_in(school, spring, PlanStatus.PROVINCIAL_REVIEW, [(logistics, J, "物流管理", 40)])
        Plan.objects.filter(pk=plan.pk).update(submitted_at=FILED + timedelta(hours=4 - n))  # the last filed first
        plans.append(plan)
    return plans


def test_cut_gives_the_rows_of_a_stretch_of_the_queue_in_its_order(cast, spring, logistics):
    plans = _five_submitted_an_hour_apart(cast, spring, logistics)
    queue = queue_for(cast.provincial_reviewer)

    oldest = cut(rows(queue, QueueFilters(round=spring.pk)), 1, 3)
    newest = cut(rows(queue, QueueFilters(round=spring.pk, newest_first=True)), 1, 3)
    beyond = cut(rows(queue, QueueFilters(round=spring.pk)), 4, 10)

    assert oldest == [plans[3], plans[2]]
    assert newest == [plans[1], plans[2]]
    assert beyond == [plans[0]]


def test_queue_page_holds_its_stretch_of_the_queue(cast, spring, logistics):
    plans = _five_submitted_an_hour_apart(cast, spring, logistics)
    queue = rows(queue_for(cast.provincial_reviewer), QueueFilters(round=spring.pk))

    second = Page(queue, 2, count=5).get_page(2)
    last = Page(queue, 2, count=5).get_page(9)

    assert list(second.object_list) == [plans[2], plans[1]]
    assert (last.number, list(last.object_list)) == (3, [plans[0]])


def _queries_for_queue(client, user) -> int:
    client.get(reverse("review_queue"))  # the first visit stores each plan's rule check
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("review_queue"), {"has_warnings": "", "sort": "oldest"})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("reviewer", ["bureau_reviewer", "provincial_reviewer"])
def test_queue_query_count_does_not_grow_with_the_plans(client, cast, spring, logistics, reviewer):
    client.force_login(getattr(cast, reviewer))
    status = PlanStatus.BUREAU_REVIEW if reviewer == "bureau_reviewer" else PlanStatus.PROVINCIAL_REVIEW
    plan_in(cast.school1, spring, status, [(logistics, J, "物流管理", 40)])
    one = _queries_for_queue(client, getattr(cast, reviewer))
    for n in range(2):
        school = Institution.objects.create(
            name=f"示例学校{n}", kind=InstitutionKind.SECONDARY_VOCATIONAL, bureau=cast.bureau1, platform_account="x"
        )
        plan_in(school, spring, status, [(logistics, J, "物流管理", 40), (logistics, J, "电子商务", 40)])

    three = _queries_for_queue(client, getattr(cast, reviewer))

    assert one == three


def test_queue_checks_newly_submitted_plans_in_the_background(client, cast, spring, logistics, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    from reviews.tasks import refresh_plan_checks

    plan = in_provincial_review(cast, spring, logistics)
    client.force_login(cast.provincial_reviewer)

    first = client.get(reverse("review_queue"))
    job = DBTaskResult.objects.get()
    refresh_plan_checks.call(*job.args_kwargs["args"])
    second = client.get(reverse("review_queue"))

    assert (first.context["checking"], second.context["checking"]) == (1, 0)
    assert job.task_path == "reviews.tasks.refresh_plan_checks"
    assert PlanCheck.objects.filter(plan=plan).count() == 1


def test_queue_shows_the_current_round_unless_another_is_chosen(client, cast, spring, logistics):
    last_year = make_round(2026)
    in_provincial_review(cast, spring, logistics)
    plan_in(cast.college2, last_year, PlanStatus.PUBLISHED, [(logistics, J, "物流管理", 40)])
    url = reverse("review_queue")

    with time_machine.travel(FILED):
        client.force_login(cast.provincial_reviewer)
        current = client.get(url)
        chosen = client.get(url, {"round": last_year.pk})
        every = client.get(url, {"round": ""})

    assert (names(current), current.context["form"]["round"].value()) == ([cast.college1.name], spring.pk)
    assert names(chosen) == [cast.college2.name]
    assert sorted(names(every)) == sorted([cast.college1.name, cast.college2.name])


def test_queue_status_links_keep_the_round_shown(client, cast, spring, logistics):
    make_round(2026)
    in_provincial_review(cast, spring, logistics)

    with time_machine.travel(FILED):
        client.force_login(cast.provincial_reviewer)
        response = client.get(reverse("review_queue"))

    assert f'href="?round={spring.pk}&amp;status=provincial_review"' in response.text


def test_filter_queue_matches_text_in_the_institution_name_code_or_a_certificate(cast, spring, logistics):
    other = make_certificate("电子商务数据分析职业技能等级证书", levels=[J])
    college1 = in_provincial_review(cast, spring, logistics)
    college2 = in_provincial_review(cast, spring, other, institution=cast.college2)
    Institution.objects.filter(pk=cast.college2.pk).update(ministry_code="4134012345")
    plans = queue_for(cast.provincial_reviewer)

    assert list(filter_queue(plans, text=cast.college1.name[:4])) == [college1]
    assert list(filter_queue(plans, text=" 413401 ")) == [college2]
    assert list(filter_queue(plans, text="数据分析")) == [college2]
    assert list(filter_queue(plans, text="物流", round=spring.pk, kind=InstitutionKind.HIGHER_VOCATIONAL)) == [college1]


def test_filter_queue_by_round_bureau_kind_and_status(cast, spring, autumn, logistics):
    college1 = in_provincial_review(cast, spring, logistics)
    college2 = in_provincial_review(cast, autumn, logistics, institution=cast.college2)
    plans = queue_for(cast.provincial_reviewer)

    assert list(filter_queue(plans, round=autumn.pk)) == [college2]
    assert list(filter_queue(plans, bureau=cast.bureau1.pk)) == [college1]
    assert list(filter_queue(plans, kind=InstitutionKind.HIGHER_VOCATIONAL)) == [college1]
    assert list(filter_queue(plans, status=PlanStatus.PUBLISHED)) == []


def test_queue_rows_show_labels_badges_and_rule_tags(
    client, cast, spring, logistics, django_capture_on_commit_callbacks
):
    with_majors = make_certificate("智能财税职业技能等级证书", levels=[J], majors=["会计事务"])
    with django_capture_on_commit_callbacks(execute=True):
        plan = in_provincial_review(cast, spring, with_majors, institution=cast.college2)
    client.force_login(cast.provincial_reviewer)

    row = client.get(reverse("review_queue")).context["rows"][0]

    assert (row.url, row.kind, row.round, row.status) == (
        reverse("review_plan", args=[plan.pk]),
        cast.college2.get_kind_display(),
        str(spring),
        plan.get_status_display(),
    )
    assert (row.badges, row.tags) == ([("warning", "2 warnings")], ["R6 corresponding major"])  # tests run in English


def test_queue_row_markup_escapes_names_and_ticks_plans_the_reviewer_may_approve(
    client, cast, spring, logistics, django_capture_on_commit_callbacks
):
    Institution.objects.filter(pk=cast.college1.pk).update(name='"A&B" <学院>')
    with django_capture_on_commit_callbacks(execute=True):
        plan = in_provincial_review(cast, spring, logistics)
    published = plan_in(cast.college2, spring, PlanStatus.PUBLISHED, [(logistics, J, "物流管理", 40)])
    client.force_login(cast.provincial_reviewer)

    html = client.get(reverse("review_queue")).text

    name = "&quot;A&amp;B&quot; &lt;学院&gt;"
    assert (
        f'<tr data-plan="{plan.pk}">\n'
        f'    <td><input type="checkbox" class="form-check-input" name="plans" value="{plan.pk}" '
        f'aria-label="{name} {spring}"></td>\n'
        f'    <td><a href="{reverse("review_plan", args=[plan.pk])}">{name}</a></td>\n'
        f"    <td>{cast.bureau1.name}</td>\n"
        f"    <td>{cast.college1.get_kind_display()}</td>\n"
        f"    <td>{spring}</td>\n"
        f"    <td>{plan.get_status_display()}</td>\n"
        "    <td>2027-04-06 16:00</td>\n"
        '    <td class="text-end">2</td>\n'
        '    <td class="text-end">75</td>\n'
        "    <td>\n      </td>\n"
        "  </tr>"
    ) in html
    assert f'<tr data-plan="{published.pk}">\n    <td></td>' in html
