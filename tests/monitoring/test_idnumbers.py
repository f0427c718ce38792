from datetime import date

import pytest

from monitoring.idnumbers import Births, IdNumberError, check_char, clean, failing, make_valid, mask, mask_column

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


def test_failing_column_doubts_exactly_the_rows_clean_would_change_or_refuse():
    today = date(2027, 6, 1)
    good = make_valid("34010420050307001")
    ending_x = next(n for n in (make_valid(f"340104200503070{d:02d}") for d in range(100)) if n.endswith("X"))
    values = [
        good,
        ending_x,
        ending_x.lower(),  # clean accepts it, upper-cased
        "".join(chr(ord(c) + 0xFEE0) for c in good),  # full-width digits
        good[:-1] + ("0" if good[-1] != "0" else "1"),  # check digit
        make_valid("34010420300101001"),  # born after today
        make_valid("34010418990101001"),  # born before 1900
        make_valid("34010420050230001"),  # no such day
        good[:17],
        good + "1",
        f"{good}\n{good}",
        1.101011990030712e17,
        None,
        "",
    ]

    doubted = failing(values, Births(today))

    plain = set()
    for i, value in enumerate(values):
        try:
            if clean(value, today=today) == value:
                plain.add(i)
        except IdNumberError:
            pass
    assert doubted == set(range(len(values))) - plain
    assert plain == {0, 1}


def test_failing_column_of_plain_numbers_doubts_none():
    numbers = [make_valid(f"{340100 + n:06d}20050307{n % 1000:03d}") for n in range(500)]

    assert failing(numbers, Births(date(2027, 6, 1))) == set()
    assert failing([*numbers[:10], numbers[0][:17] + "Y"], Births(date(2027, 6, 1))) == {10}
    assert failing([*numbers[:3], f"{numbers[0]}\n{numbers[1]}"], Births(date(2027, 6, 1))) == {3}


def test_mask_column_masks_each_number_like_mask():
    numbers = [STANDARD_EXAMPLE, make_valid("34010420050307001")]

    assert mask_column(numbers) == [mask(n) for n in numbers]
    assert mask_column(numbers, encoded=True) == [mask(n).encode() for n in numbers]
    assert mask_column(numbers)[0] == "110***********002X"
    assert mask_column([]) == []
