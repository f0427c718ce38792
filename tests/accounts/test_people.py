"""Who gets told: the recipients of a step's notification, looked up in one place (User.objects)."""

from accounts.enums import Role
from accounts.models import User


def _names(users) -> list[str]:
    return sorted(user.username for user in users)


def test_people_of_an_institution_are_its_active_accounts_in_every_institution_role(cast):
    cast.office_head.is_active = False
    cast.office_head.save()

    assert _names(User.objects.people_of(cast.school1.pk)) == ["leader", "staff"]


def test_people_of_an_institution_in_one_role(cast):
    assert _names(User.objects.people_of(cast.college1.pk, Role.INSTITUTION_LEADER)) == ["college_leader"]


def test_reviewers_for_a_secondary_school_are_its_bureaus_first(cast):
    assert _names(User.objects.reviewers_for(cast.school1)) == ["bureau_reviewer"]


def test_reviewers_for_a_college_are_the_provinces(cast):
    assert _names(User.objects.reviewers_for(cast.college2)) == ["provincial_reviewer"]


def test_reviewers_for_a_school_at_the_provincial_level_are_the_provinces(cast):
    assert _names(User.objects.reviewers_for(cast.school2, level="province")) == ["provincial_reviewer"]


def test_reviewers_for_a_school_at_the_bureau_level_are_its_bureaus(cast):
    assert _names(User.objects.reviewers_for(cast.school2, level="bureau")) == ["other_bureau_reviewer"]
