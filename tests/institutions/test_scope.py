"""The one scope rule of DOMAIN.md §3, asked by every for_user: own institution, a bureau's secondary schools."""

from institutions.models import Institution
from institutions.scope import scoped
from plans.models import Plan


def _names(rows) -> list[str]:
    return sorted(row.name for row in rows)


def test_scoped_institutions_of_a_bureau_reviewer_are_its_secondary_schools(cast):
    assert _names(scoped(Institution.objects.all(), cast.bureau_reviewer, field="")) == [cast.school1.name]


def test_scoped_institutions_of_institution_staff_are_their_own(cast):
    assert _names(scoped(Institution.objects.all(), cast.college_staff, field="")) == [cast.college1.name]


def test_scoped_institutions_of_the_province_are_all(cast):
    everything = _names(Institution.objects.all())

    assert [
        _names(scoped(Institution.objects.all(), user, field="")) for user in (cast.observer, cast.provincial_admin)
    ] == [
        everything,
        everything,
    ]


def test_scoped_rows_follow_the_field_to_their_institution(cast, spring):
    plans = [Plan.objects.create(institution=i, round=spring) for i in (cast.school1, cast.college1, cast.school2)]

    assert list(scoped(Plan.objects.order_by("id"), cast.other_bureau_reviewer)) == [plans[2]]
