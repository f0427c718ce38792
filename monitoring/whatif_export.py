"""The what-if scenarios as chart data and as an Excel workbook (through core.excel: names are written as text)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from core.excel import SafeWorkbook
from core.numbers import round_half_up
from monitoring.enums import WhatIfSource
from monitoring.whatif import Outcome


def label(number: int, outcome: Outcome) -> str:
    scenario = outcome.scenario
    return _("Scenario %(n)s: %(threshold)s%%, %(source)s") % {
        "n": number,
        "threshold": f"{scenario.threshold.normalize():f}",
        "source": WhatIfSource(scenario.source).label,
    }


def chart_data(outcomes: list[Outcome]) -> dict:
    bureaus = sorted({name for o in outcomes for name in o.by_bureau})
    return {
        "scenarios": [label(n, o) for n, o in enumerate(outcomes, start=1)],
        "capped": [len(o.capped) for o in outcomes],
        "limited_by": [o.limited_by for o in outcomes],
        "bureaus": bureaus,
        "by_bureau": [[o.by_bureau[b].capped if b in o.by_bureau else 0 for b in bureaus] for o in outcomes],
    }


def _row(book: SafeWorkbook, sheet, row: int, values: list, fmt=None) -> None:
    for col, value in enumerate(values):
        if isinstance(value, int | float) or value is None:
            book.number(sheet, row, col, value, fmt)
        else:
            book.text(sheet, row, col, str(value), fmt)


def workbook(outcomes: list[Outcome], *, year: int) -> bytes:
    out = io.BytesIO()
    book = SafeWorkbook(out)
    bold = book.fmt(bold=True, bg_color="#DDEBF7", border=1)
    sheet = book.add_sheet(_("Scenarios"))
    book.text(sheet, 0, 0, _("What-if caps for %(year)s (simulation: nothing was changed)") % {"year": year})
    headings = [_("scenario"), _("threshold (%)"), _("checkpoint targets"), _("institutions capped")]
    _row(book, sheet, 2, [*headings, _("headcount limited"), _("institutions behind")], bold)
    for n, outcome in enumerate(outcomes, start=1):
        targets = ",".join(f"{v.normalize():f}" for v in outcome.scenario.targets.values())
        values = [label(n, outcome), float(outcome.scenario.threshold), targets, len(outcome.capped)]
        _row(book, sheet, 2 + n, [*values, outcome.limited_by, outcome.behind])
    sheet.set_column(0, 0, 36)
    for n, outcome in enumerate(outcomes, start=1):
        _capped_sheet(book, bold, n, outcome)
    book.close()
    return out.getvalue()


def _capped_sheet(book: SafeWorkbook, bold, number: int, outcome: Outcome) -> None:
    sheet = book.add_sheet(_("Scenario %(n)s") % {"n": number})
    book.text(sheet, 0, 0, label(number, outcome))
    headings = [_("institution"), _("bureau"), _("kind"), _("completion rate (%)"), _("cap")]
    _row(book, sheet, 2, [*headings, _("next year's demand"), _("headcount limited")], bold)
    for row, item in enumerate(outcome.capped, start=3):
        case = item.case
        rate = float(round_half_up(item.rate) or 0)
        _row(book, sheet, row, [case.name, case.bureau, case.kind, rate, case.approved, case.demand, item.limited_by])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 2, 14)
