"""Resident ID numbers (公民身份号码, GB 11643-1999): validation and masking. Pure functions.

An ID number is 17 digits and a check character (0-9 or X) computed from them (ISO 7064
MOD 11-2). Excel keeps numbers as doubles: an ID typed into a number cell comes back as
1.101011990030712e+17 with its last digits gone for good, so any numeric cell is refused.
No function here ever puts a whole ID number into a message: messages carry the masked form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from itertools import compress, repeat
from operator import itemgetter, mod, mul, ne, not_

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Weighting the ASCII codes of the digits adds 48 × the sum of the weights; taken off once.
ASCII_OFFSET = 48 * sum(WEIGHTS)
SHAPE = re.compile(r"[0-9]{17}[0-9X]")
# Text that is a number in scientific notation: the digits were lost before the file was saved.
LOST_DIGITS = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+")
EARLIEST_BIRTH_YEAR = 1900
# The weights are 2^(17-i) mod 11 and 13 ≡ 2 (mod 11), so the weighted sum of the 17 digits is,
# mod 11, twice the number they spell in base 13: one int() in C instead of seventeen products.
CHECK_BY_BASE13 = tuple(CHECK_CHARS[2 * r % 11] for r in range(11))
# A column of ID numbers as exported, joined by line breaks: exactly 18-character lines.
PLAIN_COLUMN = re.compile(r"(?:[0-9]{17}[0-9X]\n)*[0-9]{17}[0-9X]")
PLACEHOLDER = "0" * 18
FIRST17, LAST, BIRTH = itemgetter(slice(0, 17)), itemgetter(17), itemgetter(slice(6, 14))
BIRTHS_REMEMBERED = 100_000


class IdNumberError(ValueError):
    """`message` names the problem; it holds at most the masked number."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 over 17 ASCII digits (a million rows go through here: no per-digit int())."""
    return CHECK_CHARS[(sum(map(mul, first17.encode("ascii"), WEIGHTS)) - ASCII_OFFSET) % 11]


def mask(number: str) -> str:
    """First 3 and last 4 characters, the rest as stars: 110***********123X."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def clean(value, *, today: date | None = None) -> str:
    """The ID number in `value` (a cell), upper-cased, or IdNumberError saying why not."""
    if type(value) is str and len(value) == 18 and value.isascii() and value[:17].isdigit():
        # The common case, plain ASCII as exported: nothing to normalise, no regular expression.
        text = value if value[17] != "x" else value[:17] + "X"
        shaped = text[17] in CHECK_CHARS
    else:
        text = _normalized(value)
        shaped = SHAPE.fullmatch(text) is not None
    if not shaped:
        raise IdNumberError(
            _("the ID number %(masked)s is not 17 digits followed by a digit or X") % {"masked": mask(text)}
        )
    if check_char(text[:17]) != text[17]:
        raise IdNumberError(_("the ID number %(masked)s fails the GB 11643 check digit") % {"masked": mask(text)})
    born = birth_date(text[6:14])
    if born is None or born > (today or date.today()):
        raise IdNumberError(_("the ID number %(masked)s holds no valid date of birth") % {"masked": mask(text)})
    return text


def _normalized(value) -> str:
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
    return text


@lru_cache(maxsize=65536)
def birth_date(yyyymmdd: str) -> date | None:
    """A candidate's date of birth, or None; remembered (a year's candidates share a few thousand)."""
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None
    return born if born.year >= EARLIEST_BIRTH_YEAR else None


class Births(dict):
    """yyyymmdd → whether it is a date of birth on or before `today`, computed once per text."""

    def __init__(self, today: date):
        super().__init__()
        self.today = today

    def __missing__(self, yyyymmdd: str) -> bool:
        born = birth_date(yyyymmdd)
        fine = born is not None and born <= self.today
        if len(self) < BIRTHS_REMEMBERED:
            self[yyyymmdd] = fine
        return fine


def failing(values: Sequence, births: Births) -> set[int]:
    """Positions in `values` (one column of cells) that are not plain valid ID numbers as exported:
    18 ASCII characters, the right check character, a date of birth. `clean` then says why, or
    accepts the number after all (a full-width digit, a lower-case x). A column at a time: a million
    rows go through here."""
    count = len(values)
    bad: set[int] = set()
    try:
        joined = "\n".join(values)
    except TypeError:  # a cell that is not text
        joined = ""
    # The length proves no cell holds a line break of its own: one line per cell.
    if not (len(joined) == 19 * count - 1 and PLAIN_COLUMN.fullmatch(joined)):
        shaped = [type(v) is str and SHAPE.fullmatch(v) is not None for v in values]
        bad.update(compress(range(count), map(not_, shaped)))
        values = [v if fine else PLACEHOLDER for v, fine in zip(values, shaped, strict=True)]
    expected = map(CHECK_BY_BASE13.__getitem__, map(mod, map(int, map(FIRST17, values), repeat(13)), repeat(11)))
    bad.update(compress(range(count), map(ne, expected, map(LAST, values))))
    bad.update(compress(range(count), map(not_, map(births.__getitem__, map(BIRTH, values)))))
    return bad


def mask_column(numbers: list[str], *, encoded: bool = False) -> list:
    """`mask` of each of a column of valid (18-character) numbers: in one string of them all, the
    middle eleven characters of every line are starred in place, eleven strided writes in all.
    `encoded`: as ASCII bytes, for COPY."""
    if not numbers:
        return []
    text = bytearray("\n".join(numbers).encode("ascii"))
    stars = b"*" * len(numbers)
    for offset in range(3, 14):
        text[offset::19] = stars
    return bytes(text).split(b"\n") if encoded else text.decode("ascii").split("\n")


def make_valid(first17: str) -> str:
    """`first17` with its check character appended (for test data and benchmarks)."""
    return first17 + check_char(first17)
