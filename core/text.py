"""Identifiers typed by people — majors, names of institutions, certificates and bureaus, remarks — in one form.

Two strings a person reads as the same must compare as the same: "护\u200b理" and "\u2060护理" are "护理" to
the eye, and R4 (one line per certificate, level and major) must see that. So every such text is put in NFC,
loses its format characters (Unicode category Cf: zero-width spaces and joiners, word joiners, the byte order
mark, soft hyphens, bidirectional controls such as U+202E that reverse what follows) and is trimmed. Applied at
every input boundary (forms, imports, the API, the services) before a rule compares and before anything is
stored; file names and exports built from data apply it too.
"""

from __future__ import annotations

import unicodedata

from django import forms


def is_format_character(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def normalise(value: str) -> str:
    """`value` in NFC, without format characters (category Cf), without surrounding white space."""
    return strip_format(unicodedata.normalize("NFC", value)).strip()


def strip_format(value: str) -> str:
    """`value` without format characters (category Cf) and nothing else changed: for text written out."""
    if value.isascii():
        return value
    return "".join(char for char in value if not is_format_character(char))


def normalised(value):
    """`normalise` for strings; anything else (None, numbers, choices already checked) as it is."""
    return normalise(value) if isinstance(value, str) else value


class IdentifierField(forms.CharField):
    """A form field for names, majors and remarks: its value is `normalise`d, so a blank left by invisible
    characters counts as empty (and a required field refuses it)."""

    def to_python(self, value):
        return normalise(super().to_python(value))
