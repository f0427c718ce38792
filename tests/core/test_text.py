"""One form for identifiers typed by people: NFC, no format characters (Unicode Cf), trimmed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.downloads import content_disposition, safe_filename
from core.excel import clean_text, csv_text
from core.text import IdentifierField, normalise

# Zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen, and the bidirectional controls.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202a", "\u202e", "\u2066", "\u200f"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_normalise_removes_each_format_character_anywhere(char):
    assert [normalise(f"{char}护理"), normalise(f"护{char}理"), normalise(f" 护理{char} ")] == ["护理"] * 3


def test_normalise_composes_to_nfc_and_keeps_full_width_characters():
    assert (normalise("Cafe\u0301"), normalise("ＡＢ 物流"), normalise("\u3000计算机\u3000")) == (
        "Café",
        "ＡＢ 物流",
        "计算机",
    )


def test_identifier_field_refuses_a_value_of_invisible_characters_only():
    field = IdentifierField(max_length=100)

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            field.clean("\u200b\u2060\u202e")
        messages = refused.value.messages

    assert (field.clean(" 护\u200b理 "), messages) == ("护理", ["This field is required."])


def test_file_names_and_export_cells_lose_format_characters():
    name = "示例\u202e学校xslx.exe"

    header = content_disposition(f"{name}.xlsx")

    assert safe_filename(f"{name}.xlsx") == "示例学校xslx.exe.xlsx"
    assert ("\u202e" in header, "%E2%80%AE" in header) == (False, False)
    assert (clean_text("护\u200b理\u202e"), csv_text("\u2060=1+1")) == ("护理", "'=1+1")
