"""How the API writes out what the pages show: here, an audit record's before and after as flat typed fields."""

from __future__ import annotations

from decimal import Decimal

from api.serializers import audit_values


def test_audit_values_are_flat_fields_with_lists_and_objects_as_json_text():
    values = {
        "headcount": 35,
        "major_name": "物流管理",
        "is_exam_site": True,
        "review_date": None,
        "budget_amount": Decimal("50000.00"),
        "majors": [{"name": "物流管理", "students": 120}],
    }

    assert audit_values(values) == {
        "headcount": 35,
        "major_name": "物流管理",
        "is_exam_site": True,
        "review_date": None,
        "budget_amount": "50000.00",
        "majors": '[{"name": "物流管理", "students": 120}]',
    }


def test_audit_values_name_a_bare_value_value():
    assert (audit_values(40), audit_values([1, 2])) == ({"value": 40}, {"value": "[1, 2]"})
