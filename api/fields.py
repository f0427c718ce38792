"""Input field types that the database can always store: bounded, no control characters, valid Unicode.

Each bound is written into the OpenAPI description (maxLength, pattern, minimum, maximum), so a client that
follows the description never sees a refusal the description did not announce.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints

from core.text import normalise

# One line of text: no C0 control characters and no DEL. Text: tabs and line breaks allowed.
_LINE = r"[^\x00-\x1f\x7f]"
_TEXT = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
LINE_PATTERN = rf"^{_LINE}*$"
TEXT_PATTERN = rf"^{_TEXT}*$"
REQUIRED_LINE_PATTERN = rf"^{_LINE}*[^\s\x00-\x1f\x7f]{_LINE}*$"
REQUIRED_TEXT_PATTERN = rf"^{_TEXT}*[^\s\x00-\x1f\x7f]{_TEXT}*$"

MAX_ID = 2**31 - 1  # ids fit every integer column on every database we run on
MAX_HEADCOUNT = 100_000  # the same bound as the plan page's line form
MAX_TEXT = 5_000


def _storable(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("not valid Unicode text") from exc
    return normalise(value)


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


def line(max_length: int):
    """An optional one-line string (may be empty), stripped."""
    return Annotated[str, StringConstraints(max_length=max_length, pattern=LINE_PATTERN), AfterValidator(_storable)]


def required_line(max_length: int):
    """A one-line string with at least one visible character, stripped."""
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length, pattern=REQUIRED_LINE_PATTERN),
        AfterValidator(_storable),
        AfterValidator(_not_blank),
    ]


def text(max_length: int = MAX_TEXT):
    """An optional multi-line string, stripped."""
    return Annotated[str, StringConstraints(max_length=max_length, pattern=TEXT_PATTERN), AfterValidator(_storable)]


def required_text(max_length: int = MAX_TEXT):
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length, pattern=REQUIRED_TEXT_PATTERN),
        AfterValidator(_storable),
        AfterValidator(_not_blank),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Headcount = Annotated[int, Field(ge=1, le=MAX_HEADCOUNT)]


def example(value: dict) -> ConfigDict:
    """A request body's example for the description (`model_config = example({...})`): a generated client and the
    docs page show it."""
    return ConfigDict(json_schema_extra={"examples": [value]})


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# The budget column holds 12 digits, 2 after the point.
Money = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), allow_inf_nan=False), AfterValidator(_cents)]
