"""Invisible format characters already in the data (typed before normalising existed) reach neither the
exports nor the download's file name: a U+202E in an institution's name would reverse the name on screen."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

from django.urls import reverse

from tests.documents.readers import rows, workbook


def invisible(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cf"]


def test_export_and_file_name_carry_no_format_characters(client, cast, known):
    school = cast.school1
    school.name = "示例\u202e合肥职业学校"
    school.save()
    known.plan.lines.filter(remark__startswith="较上年").update(remark="较上年\u200b减少\u2066，按实际报名")
    client.force_login(cast.staff)

    response = client.get(reverse("institution_summary_download", args=[known.plan.pk]))

    cells = [str(value) for row in rows(workbook(response.content)["校级汇总表"]) for value in row]
    assert invisible("".join(cells)) == []
    assert "示例合肥职业学校" in cells and "较上年减少，按实际报名" in cells
    assert invisible(response["Content-Disposition"]) == []
    assert "%E2%80%AE" not in response["Content-Disposition"]
    assert (
        unquote(response["Content-Disposition"].split("''")[1]) == "示例合肥职业学校2027年证书申报-附件2校级汇总表.xlsx"
    )
