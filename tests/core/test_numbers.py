"""Rates are read rounded half up to one decimal everywhere (issue 14 item 8); the value kept stays exact."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.numbers import percent, round_half_up
from documents.labels import rate as document_rate
from monitoring.rates import Figures


@pytest.mark.parametrize(
    ("examined", "approved", "shown"),
    [(40, 45, "88.9%"), (153, 203, "75.4%"), (50, 90, "55.6%"), (1, 8, "12.5%"), (0, 7, "0.0%"), (7, 7, "100.0%")],
)
def test_percent_rounds_a_completion_half_up(examined, approved, shown):
    completion = Figures(approved=approved, examined=examined).completion

    assert percent(completion) == shown


def test_percent_rounds_a_half_up_not_to_even():
    assert [percent(Decimal(v)) for v in ("88.85", "88.75", "0.05", "12.25")] == ["88.9%", "88.8%", "0.1%", "12.3%"]


def test_percent_without_a_rate_is_a_dash():
    assert (percent(None), percent(None, "—"), round_half_up(None)) == ("–", "—", None)


def test_percent_filter_and_document_label_use_the_same_rounding():
    rendered = Template("{% load numbers %}{{ a|percent }} {{ b|percent }} {{ c|rounded }}").render(
        Context({"a": Figures(approved=45, examined=40).completion, "b": None, "c": Decimal(153 * 100) / 203})
    )

    assert rendered == "88.9% – 75.4"
    assert document_rate(Decimal(50 * 100) / 90) == "55.6%"


def test_stored_completion_stays_exact():
    assert Figures(approved=45, examined=40).completion == Decimal(4000) / 45
