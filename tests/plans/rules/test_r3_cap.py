"""R3 cap at its boundary, across rounds, and lifted."""

from plans.enums import PlanStatus, Severity
from plans.models import InstitutionYear
from plans.rules import gather_facts, r3_cap
from tests.factories import J, draft
from tests.plans.rules.conftest import capped


def test_r3_exactly_at_the_cap_passes(cast, spring, logistics):
    capped(cast, logistics, "42.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 200)])

    assert r3_cap(gather_facts(plan)) == []


def test_r3_one_above_the_cap_is_an_error_naming_rate_and_cap(cast, spring, logistics):
    capped(cast, logistics, "42.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 201)])

    violations = r3_cap(gather_facts(plan))

    assert [(v.code, v.severity) for v in violations] == [("R3", Severity.ERROR)]
    assert violations[0].message == (
        "The plans for 2027 ask for 201 people (this round 201, other rounds 0), but the completion rate of 2026 was "
        "42.0 % (below 50 %), so the cap is 2026's approved headcount of 200."
    )


def test_r3_issue_example_260_against_200(cast, spring, logistics):
    capped(cast, logistics, "42.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 130), (logistics, J, "电子商务", 130)])

    facts = gather_facts(plan)

    assert (facts.year_headcount, facts.cap) == (260, 200)
    assert [v.code for v in r3_cap(facts)] == ["R3"]


def test_r3_completion_49_9_iscapped(cast, spring, logistics):
    capped(cast, logistics, "49.9")

    assert gather_facts(draft(cast.school1, spring)).cap == 200


def test_r3_completion_50_0_is_notcapped(cast, spring, logistics):
    capped(cast, logistics, "50.0")
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 900)])

    assert gather_facts(plan).cap is None
    assert r3_cap(gather_facts(plan)) == []


def test_r3_no_prior_year_means_no_cap(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 900)])

    assert gather_facts(plan).cap is None


def test_r3_counts_the_other_submitted_round_of_the_year(cast, spring, autumn, logistics):
    capped(cast, logistics, "42.0")
    draft(cast.school1, spring, [(logistics, J, "物流管理", 150)], status=PlanStatus.BUREAU_REVIEW)
    plan = draft(cast.school1, autumn, [(logistics, J, "电子商务", 51)])

    facts = gather_facts(plan)

    assert (facts.this_plan_headcount, facts.other_rounds_headcount, facts.cap) == (51, 150, 200)
    assert [v.code for v in r3_cap(facts)] == ["R3"]


def test_r3_a_draft_of_the_other_round_does_not_count(cast, spring, autumn, logistics):
    capped(cast, logistics, "42.0")
    draft(cast.school1, spring, [(logistics, J, "物流管理", 150)])
    plan = draft(cast.school1, autumn, [(logistics, J, "电子商务", 100)])

    assert gather_facts(plan).other_rounds_headcount == 0


def test_r3_lifted_cap_does_not_bite(cast, spring, logistics):
    capped(cast, logistics, "42.0")
    InstitutionYear.objects.filter(institution=cast.school1, year=2026).update(
        cap_lifted=True, cap_lift_reason="省里同意"
    )
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 500)])

    assert r3_cap(gather_facts(plan)) == []


def test_r3_a_published_other_round_counts_its_approved_headcount(cast, spring, autumn, logistics):
    capped(cast, logistics, "42.0")
    published = draft(cast.school1, spring, [(logistics, J, "物流管理", 150)], status=PlanStatus.PUBLISHED)
    published.lines.update(approved_headcount=120)
    plan = draft(cast.school1, autumn, [(logistics, J, "电子商务", 80)])

    facts = gather_facts(plan)

    assert (facts.other_rounds_headcount, facts.year_headcount) == (120, 200)
    assert r3_cap(facts) == []
