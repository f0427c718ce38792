from datetime import date

import pytest

from monitoring.idnumbers import IdNumberError, check_char, clean, make_valid, mask

# The example in GB 11643-1999's appendix.
STANDARD_EXAMPLE = "11010519491231002X"


def test_check_char_of_the_standard_example():
    assert check_char(STANDARD_EXAMPLE[:17]) == "X"
    assert clean(STANDARD_EXAMPLE.lower()) == STANDARD_EXAMPLE


def test_clean_folds_full_width_digits_and_spaces():
    number = make_valid("34010420050307001")
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)

    assert clean(f" {wide[:6]} {wide[6:]} ") == number


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (1.101011990030712e17, "lost its last digits"),
        (110101199003071234, "lost its last digits"),
        ("1.10101199003071E+17", "lost its last digits"),
        ("11010519491231002", "is not 17 digits"),
        ("110105194912310021", "fails the GB 11643 check digit"),
        (make_valid("11010519491332002"), "no valid date of birth"),
        ("", "missing"),
    ],
)
def test_clean_refuses_with_the_reason(value, problem, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(IdNumberError) as refused:
        clean(value, today=date(2027, 6, 1))

    assert problem in refused.value.message


def test_clean_refuses_a_birth_date_after_today():
    with pytest.raises(IdNumberError):
        clean(make_valid("34010420280101001"), today=date(2027, 6, 1))


def test_mask_keeps_first_three_and_last_four():
    assert mask(STANDARD_EXAMPLE) == "110***********002X"
    assert mask("12345") == "*****"


def test_messages_never_hold_the_whole_number():
    wrong = STANDARD_EXAMPLE[:-1] + "1"

    with pytest.raises(IdNumberError) as refused:
        clean(wrong)

    assert wrong not in refused.value.message
    assert mask(wrong) in refused.value.message
