"""Each rule of DOMAIN.md §6 at its boundaries."""

from datetime import datetime

import pytest
from django.utils import translation

from core.dates import SHANGHAI
from core.models import ProvinceSettings
from plans.enums import PlanStatus, Severity
from plans.models import InstitutionYear
from plans.rules import (
    check_plan,
    forms_complete,
    gather_facts,
    increase_remarks,
    r1_window,
    r2_min_headcount,
    r3_cap,
    r4_duplicates,
    r5_restricted,
    r6_major,
    r8_registration,
)
from rounds.models import Extension
from tests.conftest import make_certificate
from tests.plans.factories import J, M, complete_form, completion, draft, published_plan

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", body="北京中物联物流采购培训中心")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- R1 window ---------------------------------------------------------------------------------------------------


def test_r1_window_open_on_the_last_filing_day_at_235959(cast, spring):
    plan = draft(cast.school1, spring)

    assert r1_window(gather_facts(plan), at=datetime(2027, 4, 7, 23, 59, 59, tzinfo=SHANGHAI)) == []


def test_r1_window_closed_at_midnight_after_the_last_day(cast, spring):
    plan = draft(cast.school1, spring)

    violations = r1_window(gather_facts(plan), at=datetime(2027, 4, 8, 0, 0, 0, tzinfo=SHANGHAI))

    assert [(v.code, v.severity) for v in violations] == [("R1", Severity.ERROR)]
    assert violations[0].message == "Outside the window: institutions file（2027年04月01日至2027年04月07日）."


def test_r1_extension_reopens_the_window_for_one_institution_only(cast, spring):
    Extension.objects.create(
        round=spring,
        stage="filing",
        institution=cast.school1,
        until="2027-04-09",
        reason="系统故障",
        granted_by=cast.provincial_admin,
    )
    at = datetime(2027, 4, 9, 12, 0, tzinfo=SHANGHAI)

    extended = r1_window(gather_facts(draft(cast.school1, spring)), at=at)
    other = r1_window(gather_facts(draft(cast.school2, spring)), at=at)

    assert extended == []
    assert [v.code for v in other] == ["R1"]


# --- R2 minimum headcount ----------------------------------------------------------------------------------------


def test_r2_exactly_the_minimum_passes(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 20), (logistics, J, "电子商务", 10)])

    assert r2_min_headcount(gather_facts(plan)) == []


def test_r2_one_below_the_minimum_is_an_error_naming_the_numbers(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 20), (logistics, J, "电子商务", 9)])

    violations = r2_min_headcount(gather_facts(plan))

    assert len(violations) == 1
    assert violations[0].code == "R2"
    assert violations[0].severity == Severity.ERROR
    assert violations[0].message == "物流管理 (初级) plans 29 people in all majors; the minimum headcount is 30."
    assert set(violations[0].line_ids) == set(plan.lines.values_list("pk", flat=True))


def test_r2_levels_are_counted_separately(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30), (logistics, M, "物流管理", 29)])

    assert [v.message for v in r2_min_headcount(gather_facts(plan))] == [
        "物流管理 (中级) plans 29 people in all majors; the minimum headcount is 30."
    ]


def test_r2_uses_the_catalogue_minimum_and_the_province_default(cast, spring):
    special = make_certificate("特殊焊接技术职业技能等级证书", levels=[J], min_headcount=50)
    settings = ProvinceSettings.current()
    settings.default_min_headcount = 40
    settings.save()
    other = make_certificate("母婴护理职业技能等级证书", levels=[J])
    plan = draft(cast.school1, spring, [(special, J, "焊接技术", 49), (other, J, "护理", 39)])

    assert sorted(v.message for v in r2_min_headcount(gather_facts(plan))) == [
        "母婴护理 (初级) plans 39 people in all majors; the minimum headcount is 40.",
        "特殊焊接技术 (初级) plans 49 people in all majors; the minimum headcount is 50.",
    ]


# --- R3 cap ------------------------------------------------------------------------------------------------------


def _capped(cast, logistics, rate: str, approved: int = 200):
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", approved)])
    completion(cast.school1, 2026, rate)


def test_r3_exactly_at_the_cap_passes(cast, spring, logistics):
    _capped(cast, logistics, "42.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 200)])

    assert r3_cap(gather_facts(plan)) == []


def test_r3_one_above_the_cap_is_an_error_naming_rate_and_cap(cast, spring, logistics):
    _capped(cast, logistics, "42.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 201)])

    violations = r3_cap(gather_facts(plan))

    assert [(v.code, v.severity) for v in violations] == [("R3", Severity.ERROR)]
    assert violations[0].message == (
        "The plans for 2027 ask for 201 people (this round 201, other rounds 0), but the completion rate of 2026 was "
        "42.0 % (below 50 %), so the cap is 2026's approved headcount of 200."
    )


def test_r3_issue_example_260_against_200(cast, spring, logistics):
    _capped(cast, logistics, "42.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 130), (logistics, J, "电子商务", 130)])

    facts = gather_facts(plan)

    assert (facts.year_headcount, facts.cap) == (260, 200)
    assert [v.code for v in r3_cap(facts)] == ["R3"]


def test_r3_completion_49_9_is_capped(cast, spring, logistics):
    _capped(cast, logistics, "49.9")

    assert gather_facts(draft(cast.school1, spring)).cap == 200


def test_r3_completion_50_0_is_not_capped(cast, spring, logistics):
    _capped(cast, logistics, "50.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 900)])

    assert gather_facts(plan).cap is None
    assert r3_cap(gather_facts(plan)) == []


def test_r3_no_prior_year_means_no_cap(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 900)])

    assert gather_facts(plan).cap is None


def test_r3_counts_the_other_submitted_round_of_the_year(cast, spring, autumn, logistics):
    _capped(cast, logistics, "42.0")
    draft(cast.school1, spring, [(logistics, J, "物流管理", 150)], status=PlanStatus.BUREAU_REVIEW)
    plan = draft(cast.school1, autumn, [(logistics, J, "电子商务", 51)])

    facts = gather_facts(plan)

    assert (facts.this_plan_headcount, facts.other_rounds_headcount, facts.cap) == (51, 150, 200)
    assert [v.code for v in r3_cap(facts)] == ["R3"]


def test_r3_a_draft_of_the_other_round_does_not_count(cast, spring, autumn, logistics):
    _capped(cast, logistics, "42.0")
    draft(cast.school1, spring, [(logistics, J, "物流管理", 150)])
    plan = draft(cast.school1, autumn, [(logistics, J, "电子商务", 100)])

    assert gather_facts(plan).other_rounds_headcount == 0


def test_r3_lifted_cap_does_not_bite(cast, spring, logistics):
    _capped(cast, logistics, "42.0")
    InstitutionYear.objects.filter(institution=cast.school1, year=2026).update(
        cap_lifted=True, cap_lift_reason="省里同意"
    )
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 500)])

    assert r3_cap(gather_facts(plan)) == []


# --- R4 duplicates -----------------------------------------------------------------------------------------------


def test_r4_same_certificate_level_and_major_twice_is_an_error(cast, spring, logistics):
    from plans.models import PlanLine

    plan = draft(cast.school1, spring)
    lines = [
        PlanLine(plan=plan, certificate=logistics, level=J, major_name="物流管理", headcount=30),
        PlanLine(plan=plan, certificate=logistics, level=J, major_name="物流管理", headcount=10),
    ]

    violations = r4_duplicates(gather_facts(plan, lines=lines))

    assert [(v.code, v.message) for v in violations] == [
        ("R4", "物流管理 (初级) for the major 物流管理 appears 2 times; one line each.")
    ]


def test_r4_different_majors_are_fine(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30), (logistics, J, "电子商务", 30)])

    assert r4_duplicates(gather_facts(plan)) == []


# --- R5 restricted -----------------------------------------------------------------------------------------------


def test_r5_new_restricted_certificate_is_refused(cast, spring):
    restricted = make_certificate("网店运营推广职业技能等级证书", restricted=True)
    plan = draft(cast.school1, spring, [(restricted, J, "电子商务", 30)])

    violations = r5_restricted(gather_facts(plan))

    assert [(v.code, v.severity, v.message) for v in violations] == [
        ("R5", Severity.ERROR, "网店运营推广 is restricted (培训质量不高): new applications are refused.")
    ]


def test_r5_continuing_restricted_certificate_is_a_warning_needing_justification(cast, spring):
    restricted = make_certificate("网店运营推广职业技能等级证书", restricted=True)
    published_plan(cast.school1, 2026, [(restricted, J, "电子商务", 40)])
    plan = draft(cast.school1, spring, [(restricted, J, "电子商务", 30)])

    violations = r5_restricted(gather_facts(plan))

    assert [(v.code, v.severity, v.needs_justification) for v in violations] == [("R5", Severity.WARNING, True)]


# --- R6 majors ---------------------------------------------------------------------------------------------------


def test_r6_major_outside_the_catalogue_list_is_a_warning(cast, spring):
    cert = make_certificate("物流管理职业技能等级证书", majors=["物流管理", "现代物流管理"])
    plan = draft(cast.school1, spring, [(cert, J, "物流管理", 30), (cert, J, "会计", 30)])

    violations = r6_major(gather_facts(plan))

    assert [(v.code, v.severity, v.message) for v in violations] == [
        (
            "R6",
            Severity.WARNING,
            "会计 is not one of the majors the catalogue lists for 物流管理 (物流管理、现代物流管理): "
            "give a justification.",
        )
    ]


def test_r6_no_catalogue_majors_means_no_warning(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "会计", 30)])

    assert r6_major(gather_facts(plan)) == []


# --- R8 registration ---------------------------------------------------------------------------------------------


def test_r8_unregistered_institution_cannot_submit(cast, spring):
    cast.school1.platform_account = ""
    cast.school1.save()

    violations = r8_registration(gather_facts(draft(cast.school1, spring)))

    assert [v.code for v in violations] == ["R8"]
    assert "https://vslc.ncb.edu.cn/" in violations[0].message


def test_r8_registered_institution_passes(cast, spring):
    assert r8_registration(gather_facts(draft(cast.school1, spring))) == []


# --- forms and remarks -------------------------------------------------------------------------------------------


def test_new_certificate_without_form_is_blocked(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])

    assert [(v.code, v.message) for v in forms_complete(gather_facts(plan))] == [
        ("FORM", "物流管理 is new: its application form is missing the whole form.")
    ]


def test_new_certificate_with_partial_form_names_missing_fields(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])
    form = complete_form(plan, logistics)
    form.enterprises = ""
    form.experts = []
    form.save()

    assert [v.message for v in forms_complete(gather_facts(plan))] == [
        "物流管理 is new: its application form is missing recognised enterprises、experts."
    ]


def test_new_certificate_with_complete_form_passes(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])
    complete_form(plan, logistics)

    assert forms_complete(gather_facts(plan)) == []


def test_continuing_increase_needs_a_remark(cast, spring, logistics):
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40)])
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 41)])

    assert [(v.code, v.message) for v in increase_remarks(gather_facts(plan))] == [
        ("REMARK", "物流管理 plans 41 people, more than last year's 40: explain the increase in the remark.")
    ]


def test_continuing_same_headcount_or_with_remark_passes(cast, spring, autumn, logistics):
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40)])
    same = draft(cast.school1, spring, [(logistics, J, "物流管理", 40)])
    remarked = draft(cast.school1, autumn, [(logistics, J, "物流管理", 60, "新增物流专业班级")])

    assert increase_remarks(gather_facts(same)) == []
    assert increase_remarks(gather_facts(remarked)) == []


def test_check_plan_reports_every_rule_in_order(cast, spring, logistics):
    _capped(cast, logistics, "42.0", approved=40)
    cast.school1.platform_account = ""
    cast.school1.save()
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 41), (logistics, M, "物流管理", 10)])

    codes = [v.code for v in check_plan(plan, at=FILING)]

    assert codes == ["R2", "R3", "R8", "REMARK"]


def test_r3_a_published_other_round_counts_its_approved_headcount(cast, spring, autumn, logistics):
    _capped(cast, logistics, "42.0")
    published = draft(cast.school1, spring, [(logistics, J, "物流管理", 150)], status=PlanStatus.PUBLISHED)
    published.lines.update(approved_headcount=120)
    plan = draft(cast.school1, autumn, [(logistics, J, "电子商务", 80)])

    facts = gather_facts(plan)

    assert (facts.other_rounds_headcount, facts.year_headcount) == (120, 200)
    assert r3_cap(facts) == []
