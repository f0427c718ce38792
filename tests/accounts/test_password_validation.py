"""Passwords: at least 10 characters, 3 of the 4 kinds of character, not a common password, not holding the
username or the name of the user's institution or bureau (settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.enums import Role
from accounts.password_validation import character_classes
from tests.conftest import PASSWORD


def refusals(password: str, user=None) -> list[str]:
    """The codes of the rules `password` breaks (empty: accepted)."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Kx7#mQ2$v", ["password_too_short"]),  # 9 characters
        ("Kx7#mQ2$vB", []),  # 10 characters
    ],
)
def test_password_length_9_is_refused_and_10_accepted(db, password, expected):
    assert refusals(password) == expected


@pytest.mark.parametrize(
    ("password", "classes", "expected"),
    [
        ("quietriverbank", 1, ["password_too_few_character_classes"]),
        ("quietriverbank42", 2, ["password_too_few_character_classes"]),
        ("QUIET-RIVER-BANK", 2, ["password_too_few_character_classes"]),
        ("Quietriverbank42", 3, []),
        ("quiet-riverbank42", 3, []),
        ("Quiet-Riverbank42", 4, []),
        ("静水流深-river-bank", 2, ["password_too_few_character_classes"]),  # Chinese characters count as symbols
        ("静水流深-river-2027", 3, []),
    ],
)
def test_password_needs_3_of_the_4_kinds_of_character(db, password, classes, expected):
    assert (character_classes(password), refusals(password)) == (classes, expected)


def test_password_in_djangos_common_list_is_refused(db):
    assert "password_too_common" in refusals("Password123")


def test_password_containing_the_username_is_refused_whatever_the_case(cast):
    assert refusals("My-STAFF-2027x", cast.staff) == ["password_contains_name"]
    assert refusals("My-ＳＴＡＦＦ-2027x", cast.staff) == ["password_contains_name"]  # full-width letters
    assert refusals("My-Stuff-2027x", cast.staff) == []


def test_password_containing_the_institution_name_is_refused(cast):
    # cast.school1 is 示例合肥职业学校.
    assert refusals("示例合肥职业学校-2027a", cast.staff) == ["password_contains_name"]
    assert refusals("示例合肥职业学校-2027a", cast.other_staff) == []


def test_password_containing_the_bureau_name_is_refused(cast):
    assert refusals("合肥市-Review-1", cast.bureau_reviewer) == ["password_contains_name"]
    assert refusals("合肥市-Review-1", cast.other_bureau_reviewer) == []


def test_password_rule_message_names_the_rule_and_its_numbers(db):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        validate_password("quietriverbank42")

    assert raised.value.messages == [
        "This password uses 2 of the 4 kinds of character (lowercase letters, uppercase letters, digits, symbols); "
        "it must use at least 3."
    ]


def test_password_change_page_applies_the_rules(client, cast, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(cast.staff)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "staff-2027-new", "new_password2": "staff-2027-new"},
    )

    cast.staff.refresh_from_db()
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["new_password2"]] == ["password_contains_name"]
    assert cast.staff.check_password(PASSWORD)


def test_user_create_applies_the_institution_name_rule(client, cast, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(cast.provincial_admin)
    password = f"{cast.school1.name}-2027a"

    response = client.post(
        reverse("user_create"),
        {
            "username": "new_staff",
            "full_name": "新经办人",
            "role": Role.INSTITUTION_STAFF,
            "institution": cast.school1.pk,
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["password2"]] == ["password_contains_name"]
