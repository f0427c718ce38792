"""Completion for standings, warnings and caps counts no line above 100 % of its approved headcount."""

from decimal import Decimal

from monitoring import services
from monitoring.enums import Standing
from monitoring.models import InstitutionProgress, InstitutionSnapshot
from monitoring.rates import Figures, capped_examined
from monitoring.yearend import review
from tests.monitoring.factories import J, M, line_of


def typed(line, registered, examined, passed, reason=""):
    services.record_line_progress(
        actor=None,
        line=line,
        counts=services.Counts(registered=registered, examined=examined, passed=passed),
        reason=reason,
    )


def test_capped_examined_is_at_most_the_approved_headcount():
    assert [capped_examined(examined=e, approved=60) for e in (0, 59, 60, 61, 3053)] == [0, 59, 60, 60, 60]


def test_figures_of_one_line_over_its_plan_complete_at_100_percent():
    line = Figures(approved=60, registered=3053, examined=3053, passed=3000)

    assert (line.completion, line.toward_completion, line.examined) == (Decimal("100.0"), 60, 3053)


def test_figures_summed_keep_each_line_capped():
    over = Figures(approved=60, registered=3053, examined=3053, passed=0)
    behind = Figures(approved=140, registered=10, examined=10, passed=0)

    total = over + behind

    # 60 + 10 of 200 = 35 %, not 3,063 of 200 = 1,531 %.
    assert (total.examined, total.toward_completion, total.completion) == (3063, 70, Decimal("35.0"))


def test_rollup_checkpoint_and_year_end_use_the_capped_completion(cast, plans, frozen):
    # school1: logistics approved 40 with 300 examined, care approved 30 with none: 40 of 70 count.
    typed(line_of(plans["school"], plans["logistics"], M), 300, 300, 0, reason="全校学生统一参考")
    typed(line_of(plans["college"], plans["logistics"], J), 10, 10, 0)

    checkpoint, _taken = services.take_checkpoint(year=2027, month=12)
    progress = InstitutionProgress.objects.get(institution=cast.school1, year=2027)
    snapshot = InstitutionSnapshot.objects.get(checkpoint=checkpoint, institution=cast.school1)
    capped = {row.institution_id: (row.rate, row.capped) for row in review(2027, threshold=Decimal(60))}

    assert (progress.examined, progress.counted, progress.figures.completion) == (300, 40, Decimal(4000) / 70)
    # December's target is 90 %: 57.1 % is slow (not on track, as 300 of 70 would have been).
    assert (snapshot.counted, snapshot.standing) == (40, Standing.SLOW)
    assert capped[cast.school1.pk] == (Decimal("57.142857"), True)
