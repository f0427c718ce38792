"""The first rows of an uploaded file as the import would read them, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from core import tabular
from monitoring import columns, idnumbers, xlsx
from monitoring.checking import DUPLICATE, CandidateChecker
from monitoring.enums import ImportKind
from monitoring.lookups import Lookups, date_of, text_of
from monitoring.models import ProgressImport
from monitoring.plausibility import problems
from monitoring.sealing import mask_name
from monitoring.totals_checking import TotalsChecker
from plans.models import PlanLine

PREVIEW_ROWS = 10


@dataclass(frozen=True)
class PreviewRow:
    number: int
    values: list[str]
    problem: str
    duplicate: bool


def shown(field: str, value) -> str:
    """A cell as the preview shows it: names and ID numbers masked, dates as dates."""
    if value in ("", None):
        return ""
    if field == "id_number":
        return idnumbers.mask(text_of(value) if isinstance(value, str) else repr(value))
    if field == "name":
        return mask_name(text_of(value))
    if field == "exam_date":
        found = date_of(value)
        return found.isoformat() if found else text_of(value)
    return text_of(value)[:80]


def unmapped(job: ProgressImport, mapping: dict[str, str]) -> str:
    """The error the mapping page shows while a required field has no column ('' when none lacks one)."""
    lacking = columns.missing(job.kind, mapping, job.headers, needs_institution=job.institution_id is None)
    if not lacking:
        return ""
    return _("Map a column to: %(fields)s.") % {"fields": "、".join(str(f.label) for f in lacking)}


def top_rows(job: ProgressImport) -> list[tuple[int, list]]:
    """The non-empty rows among the sheet's first HEADER_SCAN_ROWS: where the header can be."""
    found = xlsx.preview(Path(job.file.path), limit=tabular.HEADER_SCAN_ROWS)
    return [(number, cells) for number, cells in found if number <= tabular.HEADER_SCAN_ROWS]


def header_choices(job: ProgressImport) -> list[tuple[int, str]]:
    """The rows the header may be, each told by the column names it holds. Only recognised names are
    shown: the other cells of these rows may be a candidate's name or ID number."""
    known = {tabular.header_key(name) for name in columns.header_names(job.kind)}
    choices = []
    for number, cells in top_rows(job):
        filled = [c for c in cells if c not in ("", None)]
        names = [text_of(c)[:20] for c in filled if tabular.header_key(c) in known]
        choices.append((number, _describe_row(names, len(filled))))
    return choices


def _describe_row(names: list[str], cells: int) -> str:
    if not names:
        return _("%(cells)s cells, no column name recognised") % {"cells": cells}
    return _("%(names)s (%(found)s of %(cells)s cells are column names)") % {
        "names": "｜".join(names)[:100],
        "found": len(names),
        "cells": cells,
    }


def preview(job: ProgressImport, mapping: dict[str, str]) -> tuple[list[columns.Field], list[PreviewRow]]:
    """The mapped fields and the first PREVIEW_ROWS data rows under the header, each with what the
    import would say of it. While a required field is unmapped, that is every row's problem: no row
    passes a check that cannot be made."""
    found = xlsx.preview(Path(job.file.path), limit=job.header_row + PREVIEW_ROWS)
    rows = [(number, cells) for number, cells in found if number > job.header_row][:PREVIEW_ROWS]
    headers = job.headers
    lacking = unmapped(job, mapping)
    positions = columns.positions(job.kind, mapping, headers)
    lookups = Lookups.load(year=job.year, institution_id=job.institution_id)
    checker: CandidateChecker | TotalsChecker
    if job.kind == ImportKind.CANDIDATES:
        checker = CandidateChecker(lookups, positions, width=len(headers), today=timezone.localdate())
    else:
        checker = TotalsChecker(lookups, positions, width=len(headers))
    fields = [f for f in columns.fields_for(job.kind) if f.key in positions]
    checked = [(number, cells, *checker.check(number, list(cells))) for number, cells in rows]
    doubts = _implausible_totals([record for *_row, record, _issue in checked if job.kind == ImportKind.TOTALS])
    out = []
    for number, cells, record, issue in checked:
        values = [shown(f.key, cells[positions[f.key]] if positions[f.key] < len(cells) else "") for f in fields]
        doubt = doubts.get(record[0], "") if record else ""
        out.append(
            PreviewRow(
                number=number,
                values=values,
                problem=lacking or (issue.message if issue else doubt),
                duplicate=not lacking and (bool(issue and issue.kind == DUPLICATE) or bool(doubt)),
            )
        )
    return fields, out


def _implausible_totals(records: list[tuple | None]) -> dict[int, str]:
    """Line → what is implausible about the totals a row gives it (with the numbers), to confirm later."""
    given = [r for r in records if r]
    approved = dict(PlanLine.objects.filter(pk__in=[r[0] for r in given]).values_list("pk", "approved_headcount"))
    found = {}
    for line, registered, examined, passed in given:
        wrong = problems(approved=approved[line], registered=registered, examined=examined, passed=passed)
        if wrong:
            found[line] = _("%(problems)s: to be confirmed with a reason") % {"problems": "；".join(wrong)}
    return found
