"""Resident ID numbers (公民身份号码, GB 11643-1999): validation and masking. Pure functions.

An ID number is 17 digits and a check character (0-9 or X) computed from them (ISO 7064
MOD 11-2). Excel keeps numbers as doubles: an ID typed into a number cell comes back as
1.101011990030712e+17 with its last digits gone for good, so any numeric cell is refused.
No function here ever puts a whole ID number into a message: messages carry the masked form.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
SHAPE = re.compile(r"\d{17}[\dX]")
# Text that is a number in scientific notation: the digits were lost before the file was saved.
LOST_DIGITS = re.compile(r"[+-]?\d+(\.\d*)?[eE][+-]?\d+")
EARLIEST_BIRTH_YEAR = 1900


class IdNumberError(ValueError):
    """`message` names the problem; it holds at most the masked number."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def mask(number: str) -> str:
    """First 3 and last 4 characters, the rest as stars: 110***********123X."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def clean(value, *, today: date | None = None) -> str:
    """The ID number in `value` (a cell), upper-cased, or IdNumberError saying why not."""
    if value is None or value == "":
        raise IdNumberError(_("the ID number is missing"))
    if isinstance(value, bool):
        raise IdNumberError(_("the ID number is not text"))
    if isinstance(value, (int, float)):
        raise IdNumberError(
            _("the ID number was stored as a number and Excel lost its last digits; format the column as text")
        )
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()
    if LOST_DIGITS.fullmatch(text):
        raise IdNumberError(
            _("the ID number was stored as a number and Excel lost its last digits; format the column as text")
        )
    if not SHAPE.fullmatch(text):
        raise IdNumberError(
            _("the ID number %(masked)s is not 17 digits followed by a digit or X") % {"masked": mask(text)}
        )
    if check_char(text[:17]) != text[17]:
        raise IdNumberError(_("the ID number %(masked)s fails the GB 11643 check digit") % {"masked": mask(text)})
    if not _valid_birth_date(text[6:14], today or date.today()):
        raise IdNumberError(_("the ID number %(masked)s holds no valid date of birth") % {"masked": mask(text)})
    return text


def _valid_birth_date(yyyymmdd: str, today: date) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return born.year >= EARLIEST_BIRTH_YEAR and born <= today


def make_valid(first17: str) -> str:
    """`first17` with its check character appended (for test data and benchmarks)."""
    return first17 + check_char(first17)
